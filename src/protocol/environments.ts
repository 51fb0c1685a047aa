/** A PlayWave environment. Each has its own API host and its own API keys. */
export type PlaywaveEnvironment = "dev" | "qa" | "live";

/** The API base URL of each environment. */
export const BASE_URLS: Readonly<Record<PlaywaveEnvironment, string>> = {
	dev: "https://wave-api.playwave.dev/v1",
	qa: "https://wave-api-qa.playwave.dev/v1",
	live: "https://wave-api.playwave.io/v1",
};

/** Where requests go: a named environment, or a custom base URL (a proxy, a simulator in tests). */
export type Endpoint =
	| {
			/** A named PlayWave environment. */
			environment: PlaywaveEnvironment;
	  }
	| {
			/** A base URL such as `https://host/v1`: a proxy, or a simulator in tests. */
			baseUrl: string;
	  };

/** The base URL without a trailing slash, so endpoint paths can be appended as documented. */
export function baseUrlOf(endpoint: Endpoint): string {
	const url = "environment" in endpoint ? BASE_URLS[endpoint.environment] : endpoint.baseUrl;
	return url.gsub("/+$", "")[0];
}
