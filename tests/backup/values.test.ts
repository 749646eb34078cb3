import { describe, expect, it } from "vitest";
import { isPortable, parseDbTimestamp, toPortable, toPostgresParam, toSqliteParam } from "@/lib/backup/values";

describe("portable values", () => {
  it("reads every timestamp form the engines print as the same UTC instant", () => {
    const want = "2017-05-10T08:30:00.120Z";
    for (const s of [
      "2017-05-10T08:30:00.120+00:00",
      "2017-05-10T08:30:00.12Z",
      "2017-05-10 08:30:00.12",
      "2017-05-10 08:30:00.120+00",
      "2017-05-10T10:30:00.120+02:00",
      "2017-05-10 03:30:00.120-0500",
      "2017-05-10 08:30:00.120456",
    ]) {
      expect(parseDbTimestamp(s), s).toBe(want);
    }
    expect(parseDbTimestamp("2017-05-10 08:30:00")).toBe("2017-05-10T08:30:00.000Z"); // SQLite's CURRENT_TIMESTAMP: UTC
    expect(() => parseDbTimestamp("10/05/2017")).toThrow(/not a timestamp/);
  });

  it("maps each engine's driver value to one form", () => {
    expect(toPortable("bool", 1n)).toBe(true);
    expect(toPortable("bool", false)).toBe(false);
    expect(toPortable("int", 42n)).toBe(42);
    expect(toPortable("bigint", 2n ** 62n)).toBe("4611686018427387904");
    expect(toPortable("bigint", "4611686018427387904")).toBe("4611686018427387904");
    expect(toPortable("float", Number.NaN)).toBe("NaN");
    expect(toPortable("datetime", 1494405000120n)).toBe("2017-05-10T08:30:00.120Z");
    expect(toPortable("text", null)).toBeNull();
    expect(() => toPortable("int", 2n ** 60n)).toThrow(/int column holds/);
    expect(() => toPortable("text", 5n)).toThrow(/text column holds/);
  });

  it("writes them back as each engine and Prisma expect", () => {
    expect(toSqliteParam("datetime", "2017-05-10T08:30:00.120Z")).toBe("2017-05-10T08:30:00.120+00:00");
    expect(toSqliteParam("bool", true)).toBe(1);
    expect(toSqliteParam("bigint", "9007199254740993")).toBe(9007199254740993n);
    expect(toPostgresParam("float", "Infinity")).toBe("Infinity");
  });

  it("checks what a backup file claims, cell by cell", () => {
    expect(isPortable("datetime", "2017-05-10T08:30:00.120Z")).toBe(true);
    expect(isPortable("datetime", "2017-05-10")).toBe(false);
    expect(isPortable("int", 1.5)).toBe(false);
    expect(isPortable("bool", 1)).toBe(false);
    expect(isPortable("text", null)).toBe(true);
    expect(isPortable("float", "NaN")).toBe(true);
    expect(isPortable("bigint", 12)).toBe(false);
  });
});
