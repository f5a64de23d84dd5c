// `require('url')` for hosted-git-info in the browser: it only uses `URL`.
export const URL = globalThis.URL;
export default { URL };
