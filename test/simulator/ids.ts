import { createHash, randomBytes } from "node:crypto";

/**
 * Random identifiers (OTTs, session ids, request ids, API keys). With a seed the sequence is
 * reproducible, so a whole scenario replays byte for byte.
 */
export class IdSource {
	private counter = 0;

	constructor(private readonly seed?: string) {}

	bytes(count: number): Buffer {
		if (this.seed === undefined) return randomBytes(count);
		const chunks: Buffer[] = [];
		let have = 0;
		while (have < count) {
			const chunk = createHash("sha256").update(`${this.seed}:${this.counter++}`).digest();
			chunks.push(chunk);
			have += chunk.length;
		}
		return Buffer.concat(chunks).subarray(0, count);
	}

	/** A version-4 UUID, lower case. */
	uuid(): string {
		const b = this.bytes(16);
		b[6] = (b[6] & 0x0f) | 0x40;
		b[8] = (b[8] & 0x3f) | 0x80;
		const hex = b.toString("hex");
		return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
	}

	hex(chars: number): string {
		return this.bytes(Math.ceil(chars / 2))
			.toString("hex")
			.slice(0, chars);
	}
}
