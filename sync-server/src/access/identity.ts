import type { IncomingHttpHeaders } from 'node:http';
import { localIdentity, type Identity } from '../../../shared/src/access';
import { LOCAL_USER_ID } from '../../../shared/src/rooms';

/**
 * Who is making a request. With no access configuration the server is in single-user local
 * mode and everyone is the one local user; signed tokens take over here when configured.
 */
export type Identify = (req: { headers: IncomingHttpHeaders; url?: string }) => Identity;

/** The identify function of single-user local mode. */
export const identifyLocal: Identify = () => localIdentity(LOCAL_USER_ID);
