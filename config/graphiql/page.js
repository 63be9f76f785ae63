// GraphiQL's start-up, served from this server as a file (the Content-Security-Policy allows no
// inline script, config/headers.py). It opens with the example operations of examples.json, one a
// tab. The tabs and the headers (the token) are kept in sessionStorage: for this browser tab only,
// forgotten when it is closed.
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
fetch('/graphiql/examples.json', { headers: { Accept: 'application/json' } })
  .then((response) => response.json())
  .then(({ tabs }) => {
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        storage: window.sessionStorage,
        defaultTabs: tabs,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: true,
        defaultEditorToolsVisibility: 'headers',
        defaultHeaders: tabs[0].headers,
      }),
    );
  });
