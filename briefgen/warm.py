"""What `briefgen serve` keeps between rebuilds, so a one-file edit costs little more than the
pages it changes."""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .engine.pagecache import PageOutputCache


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept between rebuilds; a bucket's key includes its source checksum,
    so an edited template is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class Warm:
    templates: MemoryBytecodeCache = field(default_factory=MemoryBytecodeCache)
    pages: PageOutputCache = field(default_factory=PageOutputCache)
