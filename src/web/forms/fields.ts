// One field of a request part (req.params, req.query, req.body) that no route schema types: the forms layer serves
// routes it does not declare (a journey's pages under any base URL, any form's hidden token), so it reads what it
// needs by name and checks the value where it uses it, rather than asserting a shape with a cast.

/** The part's field `name`, or undefined when the part is not an object (no body, say). */
export function fieldOf(part: unknown, name: string): unknown {
  return typeof part === 'object' && part !== null ? Reflect.get(part, name) : undefined;
}
