/**
 * Warnings for the game's developer, each said once per server: a problem of the connection (a refused
 * key, a budget too small) is one line, not one per player or per request.
 */
export class Warnings {
	private readonly said = new Set<string>();

	constructor(private readonly sink: (message: string) => void) {}

	/** Says `message` unless something was already said under `key`. */
	once(key: string, message: string) {
		if (this.said.has(key)) return;
		this.said.add(key);
		this.sink(message);
	}
}
