// The example component the repository ships, and its licence, as assets of the build: Vite
// copies exactly these two files into the built site (nothing else from examples/).
import exampleUrl from '../../examples/hello.wasm?url';
import exampleLicenseUrl from '../../examples/hello.wasm.LICENSE?url';

/** The example component's file name, URL and licence. */
export const EXAMPLE = { name: 'hello.wasm', url: exampleUrl, licenseUrl: exampleLicenseUrl } as const;
