"""The process holding a connection is found from /proc: this process, for a socket it accepted itself."""

from __future__ import annotations

import os
import socket

from selftest.workers import connection_inode, holder


def test_the_process_that_accepted_a_connection_is_found_and_no_other() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = listener.accept()
            with accepted:
                inode = connection_inode(port, client.getsockname()[1])
                assert inode is not None
                assert holder([os.getppid(), os.getpid()], inode) == os.getpid()
                assert holder([os.getppid()], inode) is None
    assert connection_inode(port, 1) is None
