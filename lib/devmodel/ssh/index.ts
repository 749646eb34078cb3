/** Remote hosts over SSH (issue 9 §1): one multiplexed connection per host, channels and SFTP, pinned host keys. */
export { SshConnection, SshError, type SshConnectionOptions } from "./connection";
export { sshHostAccess, sshQmpDialer, sshSocketTransport } from "./access";
export { SftpProcFs, sftpProcFs, listSftpQmpSockets } from "./sftp";
export { SshHostKeyError, pinnedHostKey, sshFingerprint, isSshFingerprint, offeredHostKey, type HostKeyVerifier, type OfferedHostKey } from "./host-key";
export {
  checkKnownHosts,
  defaultKnownHostsFile,
  hostKeyAlgorithms,
  knownHostsName,
  knownHostsVerifier,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHosts,
} from "./known-hosts";
export { formatSshTarget, parseSshTarget, sshTarget, SSH_DEFAULT_PORT, type SshTarget } from "./target";
