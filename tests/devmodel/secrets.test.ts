/** The one "is this a secret" rule and the masks built on it (issue 10, item 3). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MASK, isSecretName, isSecretPath, maskArgv, maskText, maskXenStoreValue } from "@/lib/devmodel/secrets";

describe("isSecretName", () => {
  it("recognises passwords, keys and tokens as libxl, QEMU and people name them", () => {
    for (const n of [
      "vncpasswd",
      "VNCPASSWD",
      "spicepasswd",
      "password",
      "passwd",
      "pass",
      "vnc-pass",
      "admin_pwd",
      "passphrase",
      "secret",
      "secrets",
      "password-secret",
      "client_secret",
      "token",
      "api-token",
      "accessToken",
      "credentials",
      "key",
      "keys",
      "private-key",
      "private_key",
      "privkey",
      "ssh-key",
      "api_key",
      "apikey",
      "authkey",
      "psk",
      "wpa-psk",
      "cookie",
    ]) {
      expect(isSecretName(n), n).toBe(true);
    }
  });

  it("leaves the device-model keys alone, including the ones with look-alike words", () => {
    for (const n of [
      "keymap",
      "keyboard",
      "feature-disable-keyboard",
      "hotplug-status",
      "passthrough",
      "pci-passthrough",
      "bypass",
      "compass",
      "state",
      "device-model",
      "physmap",
      "start_addr",
      "vnc",
      "vnclisten",
      "vncunused",
      "sdl",
      "monkey",
      "hotkey",
      "turnkey",
    ]) {
      expect(isSecretName(n), n).toBe(false);
    }
  });

  it("a path is secret when any component is", () => {
    expect(isSecretPath("/local/domain/0/backend/vfb/3/0/vncpasswd")).toBe(true);
    expect(isSecretPath("/local/domain/5/data/secrets/x")).toBe(true);
    expect(isSecretPath("/local/domain/0/backend/vfb/3/0/keymap")).toBe(false);
    expect(isSecretPath("/local/domain/0/device-model/3/physmap/f0000000/start_addr")).toBe(false);
  });
});

describe("masking", () => {
  it("a secret key's value is masked whole; an empty one stays empty; others are kept", () => {
    expect(maskXenStoreValue("/local/domain/0/backend/vfb/3/0/vncpasswd", "hunter2")).toBe(MASK);
    expect(maskXenStoreValue("/local/domain/0/backend/vfb/3/0/vncpasswd", "")).toBe("");
    expect(maskXenStoreValue("/local/domain/0/backend/vfb/3/0/keymap", "en-us")).toBe("en-us");
    expect(maskXenStoreValue("/local/domain/0/backend/qdisk/3/51712/params", "aio:rbd:pool/img:id=admin:key=AQBc+x==:conf=/etc/ceph.conf")).toBe(
      `aio:rbd:pool/img:id=admin:key=${MASK}:conf=/etc/ceph.conf`,
    );
  });

  it("masks secret pairs, secret objects and URL passwords inside texts", () => {
    expect(maskText("secret,id=sec0,data=letmein,format=raw")).toBe(`secret,id=sec0,data=${MASK},format=raw`);
    expect(maskText("id=drive0,password-secret=sec0,file=x")).toBe(`id=drive0,password-secret=${MASK},file=x`);
    expect(maskText("spice,port=5900,password=a,,b,addr=0")).toBe(`spice,port=5900,password=${MASK},addr=0`);
    expect(maskText("iscsi://alice:s3cr3t@10.0.0.1/iqn.2001-04.com.example/1")).toBe(`iscsi://alice:${MASK}@10.0.0.1/iqn.2001-04.com.example/1`);
    expect(maskText("https://example.org/a?token=abc&x=1")).toBe(`https://example.org/a?token=${MASK}&x=1`);
    for (const plain of ["", "running", "/var/run/xen/qmp-libxl-3", "data=1", "vnc=1,vncdisplay=0", "http://example.org/"]) {
      expect(maskText(plain), plain).toBe(plain);
    }
  });

  it("masks a command line's secrets and nothing else", () => {
    const argv = [
      "qemu-system-i386",
      "-xen-domid",
      "3",
      "-object",
      "secret,id=vncpw,data=swordfish",
      "-vnc",
      "0.0.0.0:0,password-secret=vncpw",
      "--password",
      "x1",
      "-name",
      "vm",
    ];
    const m = maskArgv(argv);
    expect(m).toEqual([
      "qemu-system-i386",
      "-xen-domid",
      "3",
      "-object",
      `secret,id=vncpw,data=${MASK}`,
      "-vnc",
      `0.0.0.0:0,password-secret=${MASK}`,
      "--password",
      MASK,
      "-name",
      "vm",
    ]);
    const plain = ["qemu-system-i386", "-xen-domid", "3", "-chroot", "/var/run/xen/qemu-root-3"];
    expect(maskArgv(plain)).toBe(plain);
  });

  it("never lets a secret value through, whatever surrounds it, and stays linear", () => {
    const sep = fc.constantFrom(",", ":", ";", "&", " ");
    const word = fc.stringMatching(/^[a-z0-9/._-]{0,12}$/);
    fc.assert(
      // eslint-disable-next-line regexp/use-ignore-case -- fast-check's stringMatching refuses the i flag
      fc.property(fc.array(fc.tuple(word, word), { maxLength: 5 }), sep, fc.stringMatching(/^[A-Za-z0-9+/]{6,20}$/), (pairs, s, secret) => {
        const parts = pairs.map(([k, v]) => `${k}=${v}`);
        parts.splice(pairs.length >> 1, 0, `password=${secret}`);
        const text = parts.join(s);
        const masked = maskText(text);
        expect(masked).not.toContain(`password=${secret}`);
        expect(masked).toContain(`password=${MASK}`);
      }),
    );
    // Inputs that would be quadratic for a careless pattern.
    const t0 = performance.now();
    for (const evil of ["a".repeat(200_000), "=".repeat(200_000), "a://".repeat(50_000), "x=".repeat(100_000), ":".repeat(100_000) + "@"]) {
      maskText(evil);
      isSecretPath(evil);
    }
    expect(performance.now() - t0).toBeLessThan(20_000); // quadratic would take minutes; linear takes milliseconds
  });
});
