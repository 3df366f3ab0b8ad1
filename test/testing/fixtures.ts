// SDP offers captured from real clients (test/control/fixtures), as jseps.
import * as fs from 'node:fs';
import * as path from 'node:path';

const DIR = path.resolve(__dirname, '../../../test/control/fixtures');
export const OFFERS = {
	chromium: { type: 'offer', sdp: fs.readFileSync(path.join(DIR, 'chromium-offer.sdp'), 'utf8') },
	werift: { type: 'offer', sdp: fs.readFileSync(path.join(DIR, 'werift-offer.sdp'), 'utf8') },
} as const;
export type OfferName = keyof typeof OFFERS;
export const REPO = path.resolve(__dirname, '../../..');
/** The compiled example app `name` (control-ts/examples/<name>.ts). */
export const exampleApp = (name: string): string => path.join(REPO, `control-ts/dist/examples/${name}.js`);
export const ECHOTEST = exampleApp('echotest');

/** Closes a test's gateway, then fails the test if the app reported errors meanwhile. */
export async function closeClean(gw: { appErrors: unknown[]; close(): Promise<void> } | undefined): Promise<void> {
	const errors = gw ? [...gw.appErrors] : [];
	await gw?.close();
	if (errors.length) throw new Error(`the app reported errors: ${errors.map((e) => JSON.stringify(e, (_k, v) => (v instanceof Error ? v.stack : v))).join('\n')}`);
}
