// GraphiQL's start-up, served from this server as a file (the Content-Security-Policy allows no
// inline script, config/headers.py).
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: 'headers',
    defaultHeaders: '{\n  "Authorization": "Bearer <paste a token from: mandates token ...>"\n}',
  }),
);
