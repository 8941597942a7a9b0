// Hive Gateway over fitgraph's supergraph, for side-by-side benchmarks. The
// supergraph file and port come on the command line; GATEWAY_SECRET is the shared
// secret fitgraph's subgraphs accept, and the caller's x-fitgraph-user is passed on.
import { defineConfig } from '@graphql-hive/gateway';

const secret = process.env.GATEWAY_SECRET;

export const gatewayConfig = defineConfig({
  logging: 'error',
  graphiql: false,
  propagateHeaders: {
    fromClientToSubgraphs({ request }) {
      const headers = { 'x-fitgraph-gateway-secret': secret };
      const user = request.headers.get('x-fitgraph-user');
      if (user) headers['x-fitgraph-user'] = user;
      return headers;
    },
  },
});
