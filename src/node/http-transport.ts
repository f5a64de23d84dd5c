import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Transport } from '../oci/transport.js';

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * The registry transport on Node.js, over `node:http` and `node:https`.
 *
 * Why not `fetch`: Node 20's `fetch` keeps every chunk of a streamed request body until the
 * request ends, so a 200 MB layer pushed through it stays resident (measured: 260 MB of RSS for
 * a 200 MB PUT). Here a streamed body is piped into the socket with backpressure, so a push
 * holds a few chunks at a time. Responses come back as `fetch` `Response`s, so the registry
 * client above cannot tell the two transports apart. Redirects are never followed.
 */
export const nodeHttpTransport: Transport = (url, { method, headers, body, signal }) =>
  new Promise<Response>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, { method, headers });
    const onAbort = (): void => {
      outgoing.destroy(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    outgoing.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? (signal.reason as Error) : error);
    });
    outgoing.once('response', (incoming: IncomingMessage) => {
      try {
        resolve(toResponse(incoming, method, signal));
      } catch {
        // A status `Response` cannot carry (below 200 or above 599): a broken server, not a bug here.
        incoming.destroy();
        reject(new Error(`the server answered with HTTP status ${incoming.statusCode ?? '?'}, which is not HTTP`));
      }
    });
    if (body instanceof ReadableStream) {
      // An error of the body (the file) or of the socket is reported through `outgoing`'s 'error'.
      pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), outgoing).catch((error: unknown) => {
        outgoing.destroy(error as Error);
        reject(signal.aborted ? (signal.reason as Error) : (error as Error));
      });
    } else {
      outgoing.end(body);
    }
  });

/** A `fetch` `Response` over an incoming message: its status, headers and streamed body. */
function toResponse(incoming: IncomingMessage, method: string, signal: AbortSignal): Response {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i] as string, raw[i + 1] as string);
  const status = incoming.statusCode ?? 0;
  const init = { status, statusText: incoming.statusMessage ?? '', headers };
  if (NULL_BODY_STATUS.has(status) || method === 'HEAD') {
    incoming.resume();
    return new Response(null, init);
  }
  signal.addEventListener('abort', () => incoming.destroy(signal.reason as Error), { once: true });
  return new Response(bodyStream(incoming), init);
}

/**
 * The body as a web stream that reads a chunk only when one is asked for. (Node 20's
 * `Readable.toWeb` reads ahead without bound when the consumer is slower than the network:
 * 276 MB of RSS to pull a 200 MB layer to disk, measured.)
 */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = incoming[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done === true) controller.close();
        else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
      async cancel() {
        incoming.destroy();
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
