"""The fork server: remote sessions' kiosks forked from one process that did the slow work once.

Modules, one job each:
protocol     the message vocabulary, its framing, and descriptor passing (both ends use it)
server       the fork server process: preload once, fork a session per request, reap, report
client       the front door's side: start the fork server, spawn sessions, hold them by pidfd
environment  what every remote session's kiosk is given: environment from scratch, TERM, size

Shared by the front doors (kiosk.ssh, and kiosk.web through kiosk.web.forked); none of it knows either of them.
Importing this package imports nothing.
"""
