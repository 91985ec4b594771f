/** Raised (or rejected with) when a dialog is asked for something its state does not allow. */
export class DialogStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DialogStateError';
  }
}

/** Raised when `dialog.request()` is given a method that has no meaning inside a dialog. */
export class DialogMethodError extends Error {
  constructor(readonly method: string) {
    super(`${method} cannot be sent inside a dialog`);
    this.name = 'DialogMethodError';
  }
}
