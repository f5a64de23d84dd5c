import {
  FIELDS,
  type FieldName,
  type MetadataEdit,
  type WasmBinary,
  WasmMetaError,
  normalizeEdit,
} from '../../src/index.js';
import { el } from './dom.js';

/** A field of the form: every field of the field table, checked exactly as the CLI checks it. */
export type FormField = FieldName;

/** The edit form of the outermost binary: one labelled input per field, each validated as typed. */
export class EditForm {
  private readonly inputs = new Map<FormField, HTMLInputElement | HTMLTextAreaElement>();
  private readonly errors = new Map<FormField, HTMLElement>();
  private original: Partial<Record<FormField, string | null>> = {};

  constructor(
    container: HTMLElement,
    private readonly onChange: () => void,
  ) {
    container.replaceChildren(
      ...FIELDS.map(({ key: field, label, hint }) => {
        const id = `field-${field}`;
        const input =
          field === 'description'
            ? el('textarea', { id, name: field, rows: '3' })
            : el('input', { id, name: field, type: 'text', spellcheck: 'false' });
        input.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
        const error = el('p', { id: `${id}-error`, className: 'field-error', 'aria-live': 'polite' });
        input.addEventListener('input', () => {
          this.validate(field);
          this.onChange();
        });
        this.inputs.set(field, input);
        this.errors.set(field, error);
        return el(
          'div',
          { className: 'field' },
          el('label', { for: id }, label),
          input,
          el('p', { id: `${id}-hint`, className: 'hint' }, hint),
          error,
        );
      }),
    );
  }

  /** Fills the form with a binary's values: the starting point of the edit. */
  load(binary: WasmBinary): void {
    this.original = {};
    for (const { key: field } of FIELDS) {
      const value = binary[field];
      this.original[field] = value;
      this.set(field, value ?? '');
    }
  }

  /** Sets a field as if typed. */
  set(field: FormField, value: string): void {
    const input = this.inputs.get(field) as HTMLInputElement;
    input.value = value;
    this.validate(field);
  }

  /** Puts the loaded values back. */
  reset(): void {
    for (const { key: field } of FIELDS) this.set(field, this.original[field] ?? '');
  }

  /**
   * The edit the form describes: fields that differ from the binary's values (an emptied field
   * is removed), or `undefined` while a field is invalid.
   */
  edit(): MetadataEdit | undefined {
    const edit: MetadataEdit = {};
    for (const { key: field } of FIELDS) {
      const value = (this.inputs.get(field) as HTMLInputElement).value;
      const before = this.original[field] ?? '';
      if (value === before) continue;
      edit[field] = value === '' ? null : value;
    }
    try {
      return normalizeEdit(edit);
    } catch (error) {
      if (error instanceof WasmMetaError) return undefined;
      throw error;
    }
  }

  /** Whether any field is invalid. */
  get invalid(): boolean {
    return FIELDS.some(({ key: field }) => this.inputs.get(field)?.getAttribute('aria-invalid') === 'true');
  }

  private validate(field: FormField): void {
    const input = this.inputs.get(field) as HTMLInputElement;
    const error = this.errors.get(field) as HTMLElement;
    let message = '';
    if (input.value !== '' && input.value !== (this.original[field] ?? '')) {
      try {
        normalizeEdit({ [field]: input.value });
      } catch (problem) {
        if (!(problem instanceof WasmMetaError)) throw problem;
        message = problem.reason;
      }
    }
    error.textContent = message;
    if (message === '') input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }
}
