/**
 * The catalogue of WebSocket close codes and HTTP error codes, each with help text.
 * Clients show `help` to people; servers log `code`. Codes 4000–4999 are ours: 4400–4499 only
 * for conditions that retrying cannot fix (stock y-websocket clients never reconnect after
 * them), everything else for conditions a client retries by itself.
 */

export interface CloseCode {
  code: number;
  reason: string;
  help: string;
}

export const CLOSE = {
  normal: { code: 1000, reason: 'normal', help: 'The connection was closed normally.' },
  goingAway: {
    code: 1001,
    reason: 'server shutting down',
    help: 'The server is restarting; the client reconnects by itself and nothing is lost.',
  },
  messageTooBig: {
    code: 1009,
    reason: 'message too big',
    help: 'A message was larger than the server accepts (MAX_MESSAGE_BYTES), or more arrived than the server holds while it slows a fast client down. Split large edits or raise the limit.',
  },
  malformedMessage: {
    code: 4400,
    reason: 'malformed message',
    help: 'A frame was not a valid y-websocket protocol message (bad varint, truncated, unknown type or corrupt update). Nothing from it was stored.',
  },
  unauthorized: {
    code: 4401,
    reason: 'unauthorized',
    help: 'The connection has no valid token. Sign in again or ask for a new share link.',
  },
  forbidden: {
    code: 4403,
    reason: 'forbidden',
    help: 'Your identity may not open this room.',
  },
  invalidRoom: {
    code: 4404,
    reason: 'invalid room',
    help: 'The room name is not valid. Rooms look like "user/{id}", "team/{id}/workflow/{id}" or "system/system".',
  },
  roomDeleted: {
    code: 4410,
    reason: 'room deleted',
    help: 'This workflow or session was deleted for good: its time in the trash ran out, or someone deleted it forever. Nothing of it is kept on the server, so it cannot be opened again.',
  },
  roomRestored: {
    code: 4205,
    reason: 'room restored',
    help: 'The workflow or session was restored from the trash while this connection had it read-only; the client reconnects by itself and may edit it again.',
  },
  roomUnavailable: {
    code: 4500,
    reason: 'room unavailable',
    help: 'The server could not load or store this room: its storage (Redis, S3 or its disk) is not answering, and /readyz says which. Your changes are kept on this device and sent again when the client reconnects, which it does by itself.',
  },
  storageFull: {
    code: 4507,
    reason: 'server disk full',
    help: "The server's disk is full, so it could not store the latest changes. They stay on this device and are sent again by themselves once the server has space: ask the server's operator to free disk space under its DATA_DIR.",
  },
} as const satisfies Record<string, CloseCode>;

export type CloseName = keyof typeof CLOSE;

/** Finds the catalogue entry for a close code received by a client. */
export function closeCodeInfo(code: number): CloseCode | undefined {
  return Object.values(CLOSE).find((c) => c.code === code);
}

export interface ErrorCode {
  status: number;
  help: string;
}

/** HTTP error codes of the REST API; the body is `{ error: { code, message, help, details? } }`. */
export const ERRORS = {
  bad_request: { status: 400, help: 'Fix the request as the message and details say, then send it again.' },
  invalid_id: {
    status: 400,
    help: 'Ids are 1–128 letters, digits, "-" or "_", starting with a letter or digit.',
  },
  invalid_skill: { status: 400, help: 'The skill file did not validate; each detail names the line and field to fix.' },
  payload_too_large: { status: 413, help: 'The request body is larger than the server accepts.' },
  unauthorized: { status: 401, help: 'Send a valid token as "Authorization: Bearer <token>".' },
  forbidden: { status: 403, help: 'Your identity may not do this here; the system volume is read-only.' },
  not_found: { status: 404, help: 'Nothing has that id here. List the collection to see what exists.' },
  conflict: { status: 409, help: 'Something with that id already exists. Choose another id or update the existing one.' },
  gone: { status: 410, help: 'It was deleted for good while the request ran (its time in the trash ran out, or someone deleted it forever); nothing of it is kept.' },
  unprocessable: { status: 422, help: 'The request is well formed, but what it names cannot be used as it stands; the message says why.' },
  rate_limited: { status: 429, help: 'Too many requests; wait a moment and retry.' },
  internal: { status: 500, help: 'The server failed unexpectedly; the logs have the details. Nothing was half-written.' },
  unavailable: { status: 503, help: 'A storage backend is not ready; see /readyz.' },
  busy: { status: 503, help: 'The server is running as many skills and workflows as it can, and as many wait as it queues (RUN_CONCURRENCY, RUN_QUEUE_MAX). Send the run again after the Retry-After seconds.' },
  insufficient_storage: { status: 507, help: "The server's disk is full: nothing of this request was stored. Send it again once the server's operator has freed disk space (see /readyz)." },
} as const satisfies Record<string, ErrorCode>;

export type ErrorName = keyof typeof ERRORS;

/** The JSON body of every REST error. */
export interface ErrorBody {
  error: { code: ErrorName; message: string; help: string; details?: unknown };
}
