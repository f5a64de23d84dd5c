/**
 * How a {@link RegistryClient} sends one HTTP exchange, and the idle timeout around it.
 *
 * The core sends with `fetch`, which works in browsers. On Node.js, `wasm-meta` passes a
 * transport over `node:http` instead (src/node/http-transport.ts): Node 20's `fetch` keeps every
 * chunk of a streamed request body until the request ends, so pushing a 200 MB layer through it
 * holds 200 MB (measured).
 */

import { WasmMetaError } from '../errors.js';

/** One request as a {@link Transport} receives it. Redirects are never followed by a transport. */
export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | string | ReadableStream<Uint8Array> | undefined;
  /** Aborts the exchange: the transport then rejects (or fails the body stream) with `signal.reason`. */
  signal: AbortSignal;
}

/** Sends one request and resolves with the response once its headers have arrived. */
export type Transport = (url: URL, request: TransportRequest) => Promise<Response>;

/** The transport over the platform's `fetch`, with redirects left to the caller. */
export const fetchTransport: Transport = (url, { method, headers, body, signal }) => {
  const init: RequestInit & { duplex?: 'half' } = { method, headers, redirect: 'manual', signal };
  if (body !== undefined) {
    init.body = body;
    if (body instanceof ReadableStream) init.duplex = 'half';
  }
  return fetch(url, init);
};

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** The default of `--timeout`: seconds without a byte in either direction before a request fails. */
export const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * Wraps a transport so that an exchange fails with a `network` error once nothing has moved for
 * `timeoutMs`: no connection or no response headers, no request-body chunk taken, no
 * response-body chunk received. This covers a registry that accepts the connection and never
 * answers, and one that stops sending in the middle of a blob. `what` names the exchange in the
 * message.
 */
export function withIdleTimeout(
  transport: Transport,
  timeoutMs: number,
): (url: URL, request: Omit<TransportRequest, 'signal'>, what: string) => Promise<Response> {
  return async (url, request, what) => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const seconds = timeoutMs / 1000;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          controller.abort(
            new WasmMetaError('network', `${what}: nothing received for ${seconds} s (--timeout ${seconds})`),
          ),
        timeoutMs,
      );
    };
    const body = request.body instanceof ReadableStream ? observed(request.body, arm) : request.body;
    arm();
    let response: Response;
    try {
      response = await transport(url, { ...request, body, signal: controller.signal });
    } catch (error) {
      clearTimeout(timer);
      throw controller.signal.aborted ? controller.signal.reason : error;
    }
    if (response.body === null || NULL_BODY_STATUS.has(response.status)) {
      clearTimeout(timer);
      return response;
    }
    arm();
    const watched = observed(response.body, arm, () => clearTimeout(timer));
    return new Response(watched, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * The chunks of `stream`, calling `onChunk` for each (to re-arm a timer) and `onEnd` when it
 * ends, fails or is cancelled. (An aborted exchange fails its body stream: both transports
 * destroy the response on abort. Racing each read against the abort would keep every chunk
 * alive through the pending promise's reactions.)
 */
function observed(
  stream: ReadableStream<Uint8Array>,
  onChunk: () => void,
  onEnd: () => void = () => undefined,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            onEnd();
            controller.close();
            return;
          }
          onChunk();
          controller.enqueue(next.value);
        } catch (error) {
          onEnd();
          await reader.cancel(error).catch(() => undefined);
          throw error;
        }
      },
      async cancel(reason) {
        onEnd();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
