/**
 * bulletin-board/store/: the Node-only door to the board's SQLite storage (§B.5.1). Kept apart from
 * bulletin-board/index.ts so that the browser bundle never pulls in better-sqlite3.
 */
export { STORE_VERSION, SqliteStorage } from './sqlite-storage.ts';
