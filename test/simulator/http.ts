import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin } from "./admin";
import type { PlayWaveSimulator } from "./simulator";

export interface ListenOptions {
	port?: number;
	/** Default 127.0.0.1; the simulator is not meant to face a network. */
	host?: string;
	/** Serve the `/_sim/*` admin routes (issue OTTs, read the ledger...). Default false. */
	admin?: boolean;
	/** Real seconds slept per virtual second of injected latency. Default 1; 0 ignores latency. */
	realSecondsPerVirtualSecond?: number;
	/** Largest request body accepted, in bytes. Default 64 KiB. */
	maxBodyBytes?: number;
}

export interface SimServer {
	/** The API base URL, e.g. http://127.0.0.1:8787/v1 */
	baseUrl: string;
	/** The server's origin, e.g. http://127.0.0.1:8787 */
	origin: string;
	port: number;
	close(): Promise<void>;
}

const ADMIN_PREFIX = "/_sim/";

/** Serves a simulator over HTTP with the same `handle` the in-process face uses. */
export function listen(sim: PlayWaveSimulator, options: ListenOptions = {}): Promise<SimServer> {
	const host = options.host ?? "127.0.0.1";
	const scale = options.realSecondsPerVirtualSecond ?? 1;
	const maxBody = options.maxBodyBytes ?? 64 * 1024;

	const server = createServer((req, res) => {
		readBody(req, maxBody).then(
			(body) => respond(sim, req, res, body, options.admin === true, scale),
			() => {
				res.writeHead(413, { "content-type": "text/plain" });
				res.end("request body too large");
			},
		);
	});

	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port ?? 0, host, () => {
			const port = (server.address() as AddressInfo).port;
			const origin = `http://${host}:${port}`;
			resolve({
				baseUrl: `${origin}${sim.basePath}`,
				origin,
				port,
				close: () =>
					new Promise<void>((done) => {
						server.close(() => done());
						server.closeAllConnections();
					}),
			});
		});
	});
}

function respond(
	sim: PlayWaveSimulator,
	req: IncomingMessage,
	res: ServerResponse,
	body: string,
	admin: boolean,
	scale: number,
): void {
	const url = req.url ?? "/";
	if (admin && url.startsWith(ADMIN_PREFIX)) {
		const reply = handleAdmin(sim, req.method ?? "GET", url, body);
		res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
		res.end(JSON.stringify(reply.body, null, 2));
		return;
	}
	const reply = sim.handle({ method: req.method ?? "GET", url, headers: req.headers, body });
	const send = () => {
		if (reply.dropped) {
			// The server may have acted; the client just never hears back.
			req.socket.destroy();
			return;
		}
		res.writeHead(reply.status, reply.headers);
		res.end(reply.body);
	};
	const delayMs = (reply.delaySec ?? 0) * scale * 1000;
	if (delayMs > 0) setTimeout(send, delayMs);
	else send();
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on("data", (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(new Error("body too large"));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		req.on("error", reject);
	});
}
