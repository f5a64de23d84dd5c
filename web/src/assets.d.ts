/** Vite's `?url` imports: the URL of the file in the built site. */
declare module '*?url' {
  const url: string;
  export default url;
}
