// Apollo Gateway over fitgraph's supergraph, for side-by-side benchmarks.
// SUPERGRAPH: the supergraph file; PORT: where to listen; GATEWAY_SECRET: the
// shared secret fitgraph's subgraphs accept (trust.mode = shared_secret).
// The caller's user id arrives in x-fitgraph-user and is passed on unchanged.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';

const secret = process.env.GATEWAY_SECRET;

class ForwardingSource extends RemoteGraphQLDataSource {
  willSendRequest({ request, context }) {
    request.http.headers.set('x-fitgraph-gateway-secret', secret);
    if (context.user) request.http.headers.set('x-fitgraph-user', context.user);
  }
}

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH, 'utf8'),
  buildService: ({ url }) => new ForwardingSource({ url }),
  logger: { debug() {}, info() {}, warn: console.warn, error: console.error },
});
const server = new ApolloServer({ gateway, introspection: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(process.env.PORT) },
  context: async ({ req }) => ({ user: req.headers['x-fitgraph-user'] }),
});
console.log(`apollo-gateway ready at ${url}`);
