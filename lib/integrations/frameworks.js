'use strict'

// What the integrations need from each framework, adapted once: the request's path, host and
// client IP as the framework reports them (behind its trust-proxy setting), the id it already
// gave the request, and how to set a header and answer.

// req.hostname honours the app's `trust proxy` setting (X-Forwarded-Host only from a trusted proxy).
const EXPRESS = {
  name: 'express',
  pathOf: (req) => req.path,
  // The whole path, not the one under the middleware's mount point, without the query.
  uriOf: (req) => (req.originalUrl ?? req.url).split('?', 1)[0],
  hostOf: (req) => req.hostname,
  ipOf: (req) => req.ip,
  // An id set before us (pino-http's genReqId, say) is the request's id.
  idOf: (req) => req.id,
  // Where the id a request goes by is left for what runs after (pino-http reads `req.id` too).
  keepId: (req, id) => {
    req.id = id
  },
  setHeader: (res, name, value) => res.setHeader(name, value),
  respond: (res, status, body) => res.status(status).json(body),
  answerWith: (onError, result, req, res, next) => onError(result, req, res, next),
}

// request.host (Fastify 5) and request.hostname (Fastify 4, which has no host) honour `trustProxy`.
const FASTIFY = {
  name: 'fastify',
  pathOf: (request) => request.url.split('?', 1)[0],
  uriOf: (request) => request.url.split('?', 1)[0],
  hostOf: (request) => (request.host !== undefined ? request.host : request.hostname),
  ipOf: (request) => request.ip,
  // genReqId / requestIdHeader decide it.
  idOf: (request) => request.id,
  // `request.id` is Fastify's own and read-only; ours is the `requestId` decorator.
  keepId: (request, id) => {
    request.requestId = id
  },
  setHeader: (reply, name, value) => reply.header(name, value),
  respond: (reply, status, body) => reply.code(status).send(body),
  // A custom responder may be async. Whatever it does, the request never reaches the route: if it
  // neither sent a reply nor returned a body, the default answer goes out.
  answerWith: (onError, result, request, reply, done) => {
    const fallback = () => reply.code(result.errorStatus).send({ error: result.error, code: result.errorCode })
    Promise.resolve(onError(result, request, reply)).then(
      (value) => (reply.sent ? undefined : value !== undefined ? reply.send(value) : fallback()),
      done,
    )
  },
}

/** The adapter for a response object of either framework (for functions used in both). */
function frameworkOf(res) {
  return typeof res.code === 'function' && res.raw !== undefined ? FASTIFY : EXPRESS
}

/** The adapter for a request object of either framework: a Fastify request wraps the raw one. */
const frameworkOfRequest = (req) => (req.raw !== undefined ? FASTIFY : EXPRESS)

// NestJS runs on either platform (its Express or Fastify adapter) and hands a guard that
// platform's own request and response, so each call goes to the adapter of the object it is given.
const NEST = {
  name: 'nest',
  pathOf: (req) => frameworkOfRequest(req).pathOf(req),
  uriOf: (req) => frameworkOfRequest(req).uriOf(req),
  hostOf: (req) => frameworkOfRequest(req).hostOf(req),
  ipOf: (req) => frameworkOfRequest(req).ipOf(req),
  idOf: (req) => frameworkOfRequest(req).idOf(req),
  keepId: (req, id) => frameworkOfRequest(req).keepId(req, id),
  setHeader: (res, name, value) => frameworkOf(res).setHeader(res, name, value),
  respond: (res, status, body) => frameworkOf(res).respond(res, status, body),
  answerWith: (onError, result, req, res, next) => frameworkOf(res).answerWith(onError, result, req, res, next),
}

module.exports = { EXPRESS, FASTIFY, NEST, frameworkOf }
