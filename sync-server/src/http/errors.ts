import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ERRORS, type ErrorBody, type ErrorName } from '../../../shared/src/codes';
import { RoomDeletedError, RoomStorageError } from '../rooms/room';
import { RoomsClosedError } from '../rooms/rooms';
import { RunInputError } from '../library/types';
import { RunsBusyError } from '../runs/types';
import { isDiskFull } from '../storage/disk-space';
import { InvalidNameError, StorageError } from '../storage/storage';

/** An expected HTTP failure with a catalogued code; the one error handler renders it. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly code: ErrorName,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

/** What a refused run's `Retry-After` says: a few seconds, about what a short run takes. */
export const RUNS_RETRY_AFTER_S = 5;

/** Renders an error as `{ error: { code, message, help, details? } }`. */
export function errorBody(code: ErrorName, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, help: ERRORS[code].help, ...(details === undefined ? {} : { details }) } };
}

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

/** The one place errors become responses; unexpected ones are logged and hidden. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json(errorBody(error.code, error.message, error.details));
      return;
    }
    // A run's inputs do not fit its workflow: the library's message names the node and the input.
    if (error instanceof RunInputError) {
      const details = error.node === undefined ? undefined : [{ field: `inputs.${error.node}${error.input === undefined ? '' : `.${error.input}`}`, node: error.node, input: error.input, message: error.message }];
      res.status(400).json(errorBody('bad_request', error.message, details));
      return;
    }
    if (error instanceof RunsBusyError) {
      res.status(503).set('Retry-After', String(RUNS_RETRY_AFTER_S)).json(errorBody('busy', error.message));
      return;
    }
    const parserError = error as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      res.status(413).json(errorBody('payload_too_large', 'The request body is too large.'));
      return;
    }
    if (parserError?.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('bad_request', `The body is not valid JSON: ${parserError.message ?? ''}`));
      return;
    }
    // A request still in flight when the server began shutting down.
    if (error instanceof RoomsClosedError) {
      res.status(503).json(errorBody('unavailable', error.message));
      return;
    }
    // Nothing of the request was stored; the client sends it again once there is space.
    if (isDiskFull(error)) {
      res.status(507).json(errorBody('insufficient_storage', `The server's disk is full: ${(error as Error).message}`));
      return;
    }
    // Storage did not answer (Redis or S3 down, say): the request changed nothing durable, and
    // may be sent again once /readyz says ready. Not our bug, so not a 500.
    if (error instanceof RoomStorageError || (error instanceof StorageError && !(error instanceof InvalidNameError))) {
      log.warn({ err: error, method: req.method, url: req.originalUrl }, 'request failed: storage unavailable');
      res.status(503).json(errorBody('unavailable', error instanceof RoomStorageError ? error.message : `the server's storage could not be read (${error.message}); nothing was changed, try again once it is back (see /readyz)`));
      return;
    }
    // A purge deleted the room under a request that held it.
    if (error instanceof RoomDeletedError) {
      res.status(410).json(errorBody('gone', error.message));
      return;
    }
    // Express could not decode a path parameter (`/api/skills/%zz`): the request's fault, not ours.
    if (error instanceof URIError) {
      res.status(400).json(errorBody('bad_request', `The path is not valid percent-encoding (${error.message}); encode "%" as "%25".`));
      return;
    }
    log.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    res.status(500).json(errorBody('internal', 'The server failed to handle this request.'));
  };
}
