/**
 * The database handle's type, honest for both providers.
 *
 * Both generated clients come from one schema (prisma/schema.prisma), but TypeScript
 * cannot relate every member of one to the other: their `groupBy`/`aggregate` return
 * types are conditional types over two sets of declarations, and `$transaction`
 * accepts each provider's own isolation levels. `Db` is what both have in common,
 * spelled once: every model's delegate methods as the SQLite declarations type them,
 * with `groupBy` narrowed to the one grouping the app needs (`CountGroups`),
 * raw queries, an interactive transaction, and the provider the handle talks to.
 * The checks at the bottom make the compiler prove that each generated client fits;
 * lib/db/client.ts then builds a `Db` from either without a cast.
 *
 * Types come from the generated clients' public entry points only (no `internal/`).
 */
import type { PrismaClient as SqliteClient, Prisma } from "@/generated/sqlite/client";
import type { PrismaClient as PostgresClient, Prisma as PgPrisma } from "@/generated/postgres/client";
import type { Provider } from "./config";

/** The schema's types (where-inputs, payloads): the same schema behind both providers. */
export type { Prisma };

/** `actionItem`, `meeting`, …: the model delegates' property names. */
export type ModelProp = Prisma.TypeMap["meta"]["modelProps"];
type ModelOf<M extends ModelProp> = Capitalize<M> & keyof Prisma.TypeMap["model"];
type WhereOf<M extends ModelProp> = NonNullable<Prisma.TypeMap["model"][ModelOf<M>]["operations"]["count"]["args"]["where"]>;
type ScalarOf<M extends ModelProp> = keyof Prisma.TypeMap["model"][ModelOf<M>]["payload"]["scalars"] & string;

/** Rows counted per value of some columns: the grouping both providers type alike. */
export interface CountGroups<F extends string, W> {
  groupBy(args: { by: F[]; where?: W; _count: { _all: true } }): PromiseLike<Array<{ [K in F]?: unknown } & { _count: { _all: number } }>>;
}

/** The delegate methods both clients type alike (all but `groupBy` and `aggregate`). */
type Method =
  | "findUnique"
  | "findUniqueOrThrow"
  | "findFirst"
  | "findFirstOrThrow"
  | "findMany"
  | "count"
  | "create"
  | "createMany"
  | "update"
  | "updateMany"
  | "upsert"
  | "delete"
  | "deleteMany";
type Delegate<M extends ModelProp> = Pick<SqliteClient[M], Method> & CountGroups<ScalarOf<M>, WhereOf<M>>;

/** Inside a transaction: the models and raw queries, no `$transaction` of its own. */
export type Tx = { [M in ModelProp]: Delegate<M> } & Pick<SqliteClient, "$queryRawUnsafe" | "$executeRawUnsafe" | "$queryRaw" | "$executeRaw">;

export interface TxOptions {
  /** How long to wait for a connection (ms). */
  maxWait?: number;
  /** How long the transaction may run (ms). */
  timeout?: number;
  /** The one isolation level both engines offer (SQLite's only one). */
  isolationLevel?: "Serializable";
}

/** The process's database: models, raw queries, transactions, and which engine it is. */
export type Db = Tx & {
  readonly provider: Provider;
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: TxOptions): Promise<R>;
  $disconnect(): Promise<void>;
};

/** Either the client or an open transaction: what reads and composable commands take. */
export type DbOrTx = Db | Tx;

// ── Proof that both generated clients fit ────────────────────────────────────
// A compile error here means a Prisma upgrade or a schema change made the two
// providers' clients differ in something the app types against: fix `Db`, not a cast.
type Fits<C> = C extends Db ? true : false;
type SameModels = [ModelProp] extends [PgPrisma.TypeMap["meta"]["modelProps"]]
  ? [PgPrisma.TypeMap["meta"]["modelProps"]] extends [ModelProp]
    ? true
    : false
  : false;
const proof: {
  sqlite: Fits<SqliteClient & { readonly provider: "sqlite" }>;
  postgresql: Fits<PostgresClient & { readonly provider: "postgresql" }>;
  sameModels: SameModels;
} = {
  sqlite: true,
  postgresql: true,
  sameModels: true,
};
void proof;
