"""Content-Encoding undone a bounded piece at a time, so a decompression bomb meets the
byte cap before it reaches memory: gzip (concatenated members too), deflate (zlib-wrapped or
raw), brotli, and chains of them."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

PIECE = 64 * 1024  # most decoded bytes produced per decompression step
CORRUPT = (zlib.error, brotli.error)
"""What a decoder raises on a body that is not in its coding."""


class Decoder:
    """Undoes one content coding, yielding at most ``PIECE`` bytes per step."""

    def decode(self, data: bytes) -> Iterator[bytes]:
        yield data


class ZlibDecoder(Decoder):
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        while data:
            if self._d.eof:
                # Concatenated gzip members are one body; anything else after the end is junk.
                if self._wbits != 31 or not data.startswith(b"\x1f\x8b"):
                    return
                self._d = zlib.decompressobj(self._wbits)
            try:
                out = self._d.decompress(data, PIECE)
            except zlib.error:
                if self._started or self._wbits != 15:
                    raise
                # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
                self._wbits = -15
                self._d = zlib.decompressobj(self._wbits)
                continue
            self._started = True
            if out:
                yield out
            data = self._d.unconsumed_tail or self._d.unused_data
            while not data and len(out) == PIECE and not self._d.eof:
                out = self._d.decompress(b"", PIECE)
                if out:
                    yield out
                data = self._d.unconsumed_tail


class BrotliDecoder(Decoder):
    def __init__(self) -> None:
        self._d = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self._d.is_finished():
            return
        out = self._d.process(data, output_buffer_limit=PIECE)
        while out:
            yield out
            if self._d.is_finished():
                return
            out = self._d.process(b"", output_buffer_limit=PIECE)


class ChainDecoder(Decoder):
    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def decode(self, data: bytes) -> Iterator[bytes]:
        pieces: Iterator[bytes] = iter((data,))
        for decoder in self._decoders:
            pieces = _pipe(decoder, pieces)
        yield from pieces


def _pipe(decoder: Decoder, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from decoder.decode(piece)


def decoder_for(content_encoding: str) -> Decoder:
    """The decoder for a Content-Encoding header; unknown codings pass through, like httpx."""
    decoders: list[Decoder] = []
    # Codings are listed in the order applied, so they are undone from the last.
    for name in reversed(content_encoding.lower().split(",")):
        name = name.strip()
        if name in ("gzip", "x-gzip"):
            decoders.append(ZlibDecoder(31))
        elif name == "deflate":
            decoders.append(ZlibDecoder(15))
        elif name == "br":
            decoders.append(BrotliDecoder())
    if not decoders:
        return Decoder()
    return decoders[0] if len(decoders) == 1 else ChainDecoder(decoders)
