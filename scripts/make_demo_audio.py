"""Write the demo lesson's short recording (courses/chi-thi-05-ct-tw/media/loi-day-neu-guong.mp3).

No speech synthesiser is installed where LearnHub is built, so the "recording" is a few soft chimes
(a stand-in the transcript describes), encoded with the system's libmp3lame through ctypes:
mono, 22.05 kHz, 32 kbit/s, about 4 seconds and 16 KB. Run: python scripts/make_demo_audio.py
"""
from __future__ import annotations

import ctypes
import ctypes.util
import math
import sys
from pathlib import Path

RATE = 22050
TARGET = Path(__file__).resolve().parent.parent / "courses/chi-thi-05-ct-tw/media/loi-day-neu-guong.mp3"


def samples() -> list[int]:
    """Three chimes (C5, E5, G5), each fading out, then a short silence."""
    out: list[int] = []
    for frequency in (523.25, 659.25, 783.99):
        for n in range(int(RATE * 1.1)):
            t = n / RATE
            out.append(int(9000 * math.exp(-3 * t) * math.sin(2 * math.pi * frequency * t)))
    return out + [0] * (RATE // 2)


def encode(pcm: list[int]) -> bytes:
    lame = ctypes.CDLL(ctypes.util.find_library("mp3lame") or "libmp3lame.so.0")
    lame.lame_init.restype = ctypes.c_void_p
    gfp = ctypes.c_void_p(lame.lame_init())
    lame.lame_set_in_samplerate(gfp, RATE)
    lame.lame_set_out_samplerate(gfp, RATE)
    lame.lame_set_num_channels(gfp, 1)
    lame.lame_set_mode(gfp, 3)  # MONO
    lame.lame_set_brate(gfp, 32)
    if lame.lame_init_params(gfp) < 0:
        sys.exit("libmp3lame refused the parameters")
    buffer_type = ctypes.c_short * len(pcm)
    data = buffer_type(*pcm)
    size = int(1.25 * len(pcm) + 7200)
    out = (ctypes.c_ubyte * size)()
    written = lame.lame_encode_buffer(gfp, data, data, len(pcm), out, size)
    tail = (ctypes.c_ubyte * 7200)()
    flushed = lame.lame_encode_flush(gfp, tail, 7200)
    lame.lame_close(gfp)
    return bytes(out[:written]) + bytes(tail[:flushed])


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_bytes(encode(samples()))
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
