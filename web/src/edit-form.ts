import { type MetadataEdit, type WasmBinary, isWasmMetaError, normalizeEdit } from '../../src/index.js';
import { el } from './dom.js';

/** The fields the form edits, with what each expects (checked exactly as the CLI checks them). */
export const FORM_FIELDS = [
  ['name', 'Name', 'The module or component name'],
  ['authors', 'Authors', 'Free text, for example "Ada <ada@example.com>, Bo"'],
  ['description', 'Description', 'Free text'],
  ['licenses', 'Licenses', 'An SPDX expression, for example "MIT OR Apache-2.0"'],
  ['source', 'Source', 'An absolute URL of the source code'],
  ['homepage', 'Homepage', 'An absolute URL'],
  ['documentation', 'Documentation', 'An absolute URL'],
  ['revision', 'Revision', 'The source revision, for example a git commit'],
  ['version', 'Version', 'Free text; SemVer is best for registries'],
  ['vendor', 'Vendor', 'Who distributes it'],
  ['created', 'Created', 'An RFC 3339 date and time, for example 2026-01-01T00:00:00Z'],
] as const;

export type FormField = (typeof FORM_FIELDS)[number][0];

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
      ...FORM_FIELDS.map(([field, label, hint]) => {
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
    for (const [field] of FORM_FIELDS) {
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
    for (const [field] of FORM_FIELDS) this.set(field, this.original[field] ?? '');
  }

  /**
   * The edit the form describes: fields that differ from the binary's values (an emptied field
   * is removed), or `undefined` while a field is invalid.
   */
  edit(): MetadataEdit | undefined {
    const edit: MetadataEdit = {};
    for (const [field] of FORM_FIELDS) {
      const value = (this.inputs.get(field) as HTMLInputElement).value;
      const before = this.original[field] ?? '';
      if (value === before) continue;
      edit[field] = value === '' ? null : value;
    }
    try {
      return normalizeEdit(edit);
    } catch (error) {
      if (isWasmMetaError(error)) return undefined;
      throw error;
    }
  }

  /** Whether any field is invalid. */
  get invalid(): boolean {
    return FORM_FIELDS.some(([field]) => this.inputs.get(field)?.getAttribute('aria-invalid') === 'true');
  }

  private validate(field: FormField): void {
    const input = this.inputs.get(field) as HTMLInputElement;
    const error = this.errors.get(field) as HTMLElement;
    let message = '';
    if (input.value !== '' && input.value !== (this.original[field] ?? '')) {
      try {
        normalizeEdit({ [field]: input.value });
      } catch (problem) {
        if (!isWasmMetaError(problem)) throw problem;
        message = problem.reason;
      }
    }
    error.textContent = message;
    if (message === '') input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }
}
