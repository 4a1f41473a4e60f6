import { parseArgs } from 'node:util';
import { mintShareToken, mintUserToken } from '../src/access/tokens';

// `npm run token -- --sub alice [--teams lab,ops] [--admin lab] [--expires 30d]`
// `npm run token -- --share user/alice/workflow/w1 --mode read [--expires 7d]`
// Prints the token (and, for a share, the link path) for the server's AUTH_SECRET.
const usage = `Usage:
  AUTH_SECRET=… npm run token -- --sub USER [--teams T1,T2] [--admin T1] [--expires 30d]
  AUTH_SECRET=… npm run token -- --share ROOM --mode read|write [--expires 7d]`;

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    teams: { type: 'string', default: '' },
    admin: { type: 'string', default: '' },
    share: { type: 'string' },
    mode: { type: 'string', default: 'read' },
    expires: { type: 'string' },
  },
});
const secret = process.env.AUTH_SECRET;
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

try {
  if (!secret || secret.length < 32) throw new Error('Set AUTH_SECRET (at least 32 characters) to the server’s secret.');
  if (values.share) {
    if (values.mode !== 'read' && values.mode !== 'write') throw new Error('--mode must be read or write.');
    const token = await mintShareToken(secret, values.share, values.mode, values.expires ?? '7d');
    console.log(token);
    console.error(`Share link path: /#/share/${token}`);
  } else if (values.sub) {
    console.log(await mintUserToken(secret, { sub: values.sub, teams: list(values.teams), team_admin: list(values.admin) }, values.expires ?? '30d'));
  } else {
    throw new Error('Say who the token is for (--sub) or which room it shares (--share).');
  }
} catch (e) {
  console.error(`${(e as Error).message}\n\n${usage}`);
  process.exit(2);
}
