import { createHash, timingSafeEqual } from "node:crypto";
import type { Environment } from "./protocol";

interface KeyEntry {
	hash: Buffer;
	gameId: string;
	environment: Environment;
	/** Clock reading from which the key is refused (inclusive); null while valid. */
	revokedAt: number | null;
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
		this.entries.push({ hash, gameId, environment, revokedAt: null });
	}

	/** Refuses the key from clock reading `at` on (default: at once). An earlier revocation stands. */
	revoke(key: string, at = -Infinity): boolean {
		const hash = sha256(key);
		let found = false;
		for (const entry of this.entries) {
			if (timingSafeEqual(entry.hash, hash)) {
				entry.revokedAt = entry.revokedAt === null ? at : Math.min(entry.revokedAt, at);
				found = true;
			}
		}
		return found;
	}

	/** The game a key belongs to, revoked or not (for rotation). */
	gameOf(key: string): string | undefined {
		const hash = sha256(key);
		let gameId: string | undefined;
		for (const entry of this.entries) if (timingSafeEqual(entry.hash, hash)) gameId = entry.gameId;
		return gameId;
	}

	/**
	 * Looks a presented key up as of `now`. Every stored hash is compared, so timing does not reveal
	 * which one matched.
	 */
	lookup(presented: string, now: number): KeyMatch | undefined {
		const hash = sha256(presented);
		let match: KeyEntry | undefined;
		for (const entry of this.entries) {
			const valid = entry.revokedAt === null || now < entry.revokedAt;
			if (timingSafeEqual(entry.hash, hash) && valid) match = entry;
		}
		if (match === undefined) return undefined;
		return { gameId: match.gameId, environment: match.environment, keyId: match.hash.toString("hex").slice(0, 16) };
	}
}
