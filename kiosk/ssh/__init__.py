"""`kiosk ssh`: the SSH front door, one kiosk process per customer session.

Modules, one job each:
hostkey    the server's ed25519 host key: created once, 0600, reused, fingerprint
auth       open / shared password (scrypt) / authorized keys
filter     the output firewall between the kiosk and the customer's terminal
pty        a session's pseudo-terminal: opened in the kiosk's input mode, resized
child      a session's kiosk as the server holds it; sessions forked by the fork server
spawn_exec sessions started by fork + exec instead (`spawn = "exec"`)
bridge     one session's plumbing: pty <-> channel, resize, idle and length limits, teardown
server     the asyncssh server and its session objects
proxied    the listener behind trusted load balancers: a PROXY v2 header first, then SSH
reload     SIGHUP: the [ssh] table read again and a new fork server, for new sessions
accesslog  one line per connection, never what was typed or shown
cli        `kiosk ssh` itself

Admission (per-address rate, pending logins, session caps) is shared with the web
front door: kiosk.admission. The `[ssh]` table's schema is configuration: kiosk.config.remote. The fork server itself,
its protocol and what every session's kiosk is given (environment, TERM, terminal size) are
shared with the web front door: kiosk.forkserver.

Importing this package imports nothing: the fork server and the config checker
must not pull in asyncssh.
"""
