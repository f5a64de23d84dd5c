// The implementation of the `greeter` world (wit/world.wit): each export of the world is an
// export of this module, with the same name in camelCase.

/** Says hello to `name`. */
export function greet(name) {
  return `Hello, ${name}!`;
}
