// One check of an id's form (any UUID version), for what arrives from outside: organisation ids before they scope a
// transaction, ids in cursors and folder names, form tokens.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
