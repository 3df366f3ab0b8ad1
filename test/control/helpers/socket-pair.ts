/** Two connected Unix sockets (a Unix server on a temporary path, closed right away). */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

let n = 0;

export async function socketPair(): Promise<[net.Socket, net.Socket]> {
	const file = path.join(os.tmpdir(), `janus-ts-pair-${process.pid}-${++n}.sock`);
	try { fs.unlinkSync(file); } catch { /* none */ }
	const server = net.createServer();
	await new Promise<void>((r) => server.listen(file, () => r()));
	const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
	const client = net.createConnection(file);
	await new Promise<void>((r) => client.once('connect', () => r()));
	const peer = await accepted;
	server.close();
	try { fs.unlinkSync(file); } catch { /* gone */ }
	return [client, peer];
}

/** Collects the frames a raw peer socket receives. */
export function frameReader(socket: net.Socket): { messages: Record<string, unknown>[]; next(): Promise<Record<string, unknown>> } {
	const messages: Record<string, unknown>[] = [];
	const waiters: Array<(m: Record<string, unknown>) => void> = [];
	let read = 0;
	let rx = Buffer.alloc(0);
	socket.on('data', (chunk) => {
		rx = Buffer.concat([rx, chunk]);
		while (rx.length >= 4 && rx.length >= 4 + rx.readUInt32BE(0)) {
			const len = rx.readUInt32BE(0);
			messages.push(JSON.parse(rx.subarray(4, 4 + len).toString('utf8')));
			rx = rx.subarray(4 + len);
			while (waiters.length && read < messages.length) waiters.shift()!(messages[read++]);
		}
	});
	return {
		messages,
		next: () => new Promise((resolve, reject) => {
			if (read < messages.length) { resolve(messages[read++]); return; }
			const t = setTimeout(() => reject(new Error('no frame within 2 s')), 2000);
			waiters.push((m) => { clearTimeout(t); resolve(m); });
		}),
	};
}
