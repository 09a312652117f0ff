import { TokendeckError } from './errors';

/**
 * Names and bounds of a provider's saved requests and environment variables, shared by the
 * contract's schemas and the stores, so both refuse the same input with the same words.
 */

/** A saved request's name: letters, digits, spaces and `._-`, no space at either end. */
export const SAVED_REQUEST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,62}[A-Za-z0-9._-])?$/;
/** A variable's name is a shell name, so a curl export can leave a secret as `$name`. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A variable's value: any text without NUL, up to this many characters. */
export const MAX_VARIABLE_VALUE = 16_384;
/** How many saved requests, and how many variables, one provider keeps at most. */
export const MAX_SAVED_REQUESTS = 200;
export const MAX_VARIABLES = 200;
/** The bytes one provider's saved requests may take, sealed as one file. */
export const MAX_SAVED_BYTES = 4 * 1024 * 1024;

export const SAVED_REQUEST_NAME_RULE =
  'a saved request name is 1-64 letters, digits, spaces, dots, dashes or underscores, ' +
  'starting with a letter or digit';
export const VARIABLE_NAME_RULE =
  'a variable name is 1-64 letters, digits or underscores, not starting with a digit';

export function checkSavedRequestName(name: string): string {
  return checkName(name, SAVED_REQUEST_NAME, SAVED_REQUEST_NAME_RULE);
}

export function checkVariableName(name: string): string {
  return checkName(name, VARIABLE_NAME, VARIABLE_NAME_RULE);
}

export function checkVariableValue(value: string): string {
  if (value.length > MAX_VARIABLE_VALUE || value.includes('\0')) {
    throw new TokendeckError(
      'invalid_input',
      `A variable's value must be at most ${MAX_VARIABLE_VALUE} characters, without NUL.`,
      { details: { reason: 'bad_value' } },
    );
  }
  return value;
}

function checkName(name: string, pattern: RegExp, rule: string): string {
  if (!pattern.test(name)) {
    throw new TokendeckError('invalid_input', `"${clip(name)}" is not a valid name: ${rule}.`, {
      details: { reason: 'bad_name' },
    });
  }
  return name;
}

/** A name as it may be shown in an error: short, printable. */
function clip(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}
