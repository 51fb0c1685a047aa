import { createHash, timingSafeEqual } from "node:crypto";
import type { Environment } from "./protocol";

interface KeyEntry {
	hash: Buffer;
	gameId: string;
	environment: Environment;
	revoked: boolean;
}

export interface KeyMatch {
	gameId: string;
	environment: Environment;
	/** A stable, non-secret id of the key (a hash prefix), used for per-key rate limits. */
	keyId: string;
}

function sha256(text: string): Buffer {
	return createHash("sha256").update(text, "utf8").digest();
}

/** API keys per game and environment, kept only as SHA-256 hashes and compared in constant time. */
export class ApiKeyStore {
	private readonly entries: KeyEntry[] = [];

	add(key: string, gameId: string, environment: Environment): void {
		const hash = sha256(key);
		if (this.entries.some((e) => timingSafeEqual(e.hash, hash))) throw new Error("API key already registered");
		this.entries.push({ hash, gameId, environment, revoked: false });
	}

	revoke(key: string): boolean {
		const hash = sha256(key);
		let found = false;
		for (const entry of this.entries) {
			if (timingSafeEqual(entry.hash, hash)) {
				entry.revoked = true;
				found = true;
			}
		}
		return found;
	}

	/** Looks a presented key up. Every stored hash is compared, so timing does not reveal which one matched. */
	lookup(presented: string): KeyMatch | undefined {
		const hash = sha256(presented);
		let match: KeyEntry | undefined;
		for (const entry of this.entries) {
			if (timingSafeEqual(entry.hash, hash) && !entry.revoked) match = entry;
		}
		if (match === undefined) return undefined;
		return { gameId: match.gameId, environment: match.environment, keyId: match.hash.toString("hex").slice(0, 16) };
	}
}
