// Errors as values: a Result carries an object or the errors.def code that prevented it.
import { errorName, errorMessage } from "takara-abi";

export class Result<T> {
  constructor(public value: T, public error: i32) {}

  get ok(): bool {
    return this.error == 0;
  }

  /** "PEER_CLOSED", "OK" for success */
  get errorName(): string {
    return this.error == 0 ? "OK" : errorName(this.error);
  }

  /** "peer closed" */
  get errorMessage(): string {
    return errorMessage(this.error);
  }
}

export function success<T>(value: T): Result<T> {
  return new Result<T>(value, 0);
}

/** A failed result (code < 0); its value must not be used. */
export function failure<T>(code: i32): Result<T> {
  return new Result<T>(changetype<T>(<usize>0), code);
}

/** The name of an import's result: "OK" for 0 and above, else the error's name. */
export function statusName(code: i32): string {
  return code >= 0 ? "OK" : errorName(code);
}
