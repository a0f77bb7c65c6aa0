// Builds the two browser faces into dist/web: the Outlook task pane (dist/web/addin) and the
// admin page (dist/web/admin). The server serves them (server/http/addinStatic.ts).
const path = require('node:path');
const HtmlWebpackPlugin = require('html-webpack-plugin');

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-cheap-module-source-map',
    entry: {
      addin: './addin/index.tsx',
      admin: './admin/index.tsx',
      // The Office.js shim of the test harness (served only in test mode, from dist/web/harness).
      harness: './addin/harness/index.ts',
    },
    output: {
      path: path.resolve(__dirname, 'dist/web'),
      // Each face under its own folder, so the server can serve /addin and /admin separately.
      filename: (pathData) =>
        `${['admin', 'harness'].includes(pathData.chunk.name) ? pathData.chunk.name : 'addin'}/[name].[contenthash:8].js`,
      chunkFilename: 'addin/[name].[contenthash:8].js',
      publicPath: 'auto',
      clean: true,
    },
    resolve: { extensions: ['.tsx', '.ts', '.js'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: { loader: 'ts-loader', options: { configFile: 'tsconfig.web.json', transpileOnly: true } },
        },
      ],
    },
    plugins: [
      new HtmlWebpackPlugin({
        template: './addin/taskpane.html',
        filename: 'addin/taskpane.html',
        chunks: ['addin'],
        scriptLoading: 'defer',
      }),
      new HtmlWebpackPlugin({
        template: './admin/index.html',
        filename: 'admin/index.html',
        chunks: ['admin'],
        scriptLoading: 'defer',
      }),
    ],
    performance: { hints: production ? 'warning' : false, maxEntrypointSize: 600_000, maxAssetSize: 600_000 },
    optimization: { splitChunks: false },
  };
};
