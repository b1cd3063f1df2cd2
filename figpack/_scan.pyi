def scan_chunk(
    chunk: bytes | bytearray | memoryview,
    start: int,
    stop: int,
    state: tuple[int, int, bool, bool, bool, bool, int, bool],
) -> tuple[int, int, bool, bool, bool, bool, int, bool]: ...
