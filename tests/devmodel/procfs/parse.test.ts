import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCmdline, formatLimits, parseCmdline, parseLimits, parseStatusIds, xenDomidFromArgv, dmDomidFromArgv } from "@/lib/devmodel/procfs";

// The real file of a root shell on Debian 12 (captured on this machine).
const REAL_LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max data size             unlimited            unlimited            bytes     
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max resident set          unlimited            unlimited            bytes     
Max processes             96365                96365                processes 
Max open files            20000                20000                files     
Max locked memory         8388608              8388608              bytes     
Max address space         unlimited            unlimited            bytes     
Max file locks            unlimited            unlimited            locks     
Max pending signals       96365                96365                signals   
Max msgqueue size         819200               819200               bytes     
Max nice priority         0                    0                    
Max realtime priority     0                    0                    
Max realtime timeout      unlimited            unlimited            us        
`;

describe("procfs parsers", () => {
  it("parses the kernel's limits table, names with spaces and unit-less rows included", () => {
    const l = parseLimits(REAL_LIMITS);
    expect(Object.keys(l)).toHaveLength(16);
    expect(l["Max file size"]).toEqual({ soft: "unlimited", hard: "unlimited", unit: "bytes" });
    expect(l["Max stack size"]).toEqual({ soft: 8388608, hard: "unlimited", unit: "bytes" });
    expect(l["Max nice priority"]).toEqual({ soft: 0, hard: 0, unit: "" });
    expect(l["Max realtime timeout"]).toEqual({ soft: "unlimited", hard: "unlimited", unit: "us" });
  });

  it("the same limits text twice gives equal limits, each its own objects", () => {
    const a = parseLimits(REAL_LIMITS);
    const b = parseLimits(REAL_LIMITS);
    expect(b).toEqual(a);
    a["Max file size"].soft = 1;
    delete a["Max core file size"];
    expect(parseLimits(REAL_LIMITS)).toEqual(b);
    expect(b["Max file size"].soft).not.toBe(1);
  });

  it("parses limits written without the kernel's padding", () => {
    const l = parseLimits("Limit Soft Hard Units\nMax file size 262144 262144 bytes\nMax nice priority 0 0\n");
    expect(l["Max file size"]).toEqual({ soft: 262144, hard: 262144, unit: "bytes" });
    expect(l["Max nice priority"]).toEqual({ soft: 0, hard: 0, unit: "" });
  });

  it("formatLimits and parseLimits round-trip", () => {
    const value = fc.oneof(fc.constant<"unlimited">("unlimited"), fc.nat({ max: 2 ** 40 }));
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom("Max file size", "Max core file size", "Max open files", "Max nice priority"),
          fc.record({ soft: value, hard: value, unit: fc.constantFrom("bytes", "files", "") }),
        ),
        (limits) => {
          expect(parseLimits(formatLimits(limits))).toEqual(limits);
        },
      ),
    );
  });

  it("reads the four ids of Uid:/Gid:", () => {
    const s = "Name:\tqemu\nUid:\t131077\t131077\t131077\t131077\nGid:\t131072\t131072\t131072\t0\n";
    expect(parseStatusIds(s)).toEqual({
      uid: { real: 131077, effective: 131077, saved: 131077, fs: 131077 },
      gid: { real: 131072, effective: 131072, saved: 131072, fs: 0 },
    });
    expect(parseStatusIds("Name:\tx\nUid:\t1\t2\n")).toEqual({ uid: null, gid: null });
  });

  it("cmdline: NUL separated, trailing NUL, empty arguments kept", () => {
    expect(parseCmdline("qemu\0-xen-domid\x007\0")).toEqual(["qemu", "-xen-domid", "7"]);
    expect(parseCmdline("a\0\0b\0")).toEqual(["a", "", "b"]);
    expect(parseCmdline("")).toEqual([]);
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((s) => !s.includes("\0")),
          { minLength: 1 },
        ),
        (argv) => {
          expect(parseCmdline(formatCmdline(argv))).toEqual(argv);
        },
      ),
    );
  });

  it("finds -xen-domid only as an option followed by a number", () => {
    expect(xenDomidFromArgv(["qemu", "-xen-domid", "12", "-xen-attach"])).toBe(12);
    expect(xenDomidFromArgv(["qemu", "--xen-domid=3"])).toBe(3);
    expect(xenDomidFromArgv(["tail", "-F", "/var/log/xen/qemu-dm-xen-domid.log"])).toBeNull();
    expect(xenDomidFromArgv(["qemu", "-xen-domid-restrict"])).toBeNull();
    expect(xenDomidFromArgv(["qemu", "-xen-domid"])).toBeNull();
    expect(xenDomidFromArgv(["qemu-dm", "-d", "5"])).toBeNull();
  });

  it("qemu-dm's -d counts only for qemu-dm", () => {
    expect(dmDomidFromArgv(["/usr/lib/xen/bin/qemu-dm", "-d", "5", "-domain-name", "x"])).toBe(5);
    expect(dmDomidFromArgv(["/usr/bin/foo", "-d", "5"])).toBeNull();
    expect(dmDomidFromArgv(["qemu", "-xen-domid", "3"])).toBe(3);
  });
});
