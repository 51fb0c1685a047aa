import { HttpService } from "@rbxts/services";
import { HttpServiceLike } from "./HttpServiceTransport";
import { JsonService } from "./json";

/** The engine's HttpService, as the default transport and JSON decoding use it: the transport layer's adapter. */
export function engineHttpService(): HttpServiceLike & JsonService {
	return HttpService;
}
