"""Point arithmetic on short Weierstrass curves, in Jacobian coordinates.

A Jacobian point ``(X, Y, Z)`` stands for the affine point ``(X / Z², Y / Z³)``; ``Z == 0`` is the
point at infinity. Additions take the second point in affine form (mixed addition), which is why
the tables of multiples are kept affine. Scalar multiplication uses width-w NAF digits; the
double multiplication ``u·G + v·Q`` of verification walks both scalars with one shared chain of
doublings (Shamir's trick), with a cached table of odd multiples of the base point ``G``.

Not constant time: fine for verification (public data); signing here is for tests and test PKIs.
"""

from __future__ import annotations

from functools import cache

from edmscore.signatures._gost._curves import GostCurve

__all__ = ["double_multiply", "multiply_base"]

_Jacobian = tuple[int, int, int]
_Affine = tuple[int, int]

_INFINITY: _Jacobian = (1, 1, 0)
_BASE_WIDTH = 7
_POINT_WIDTH = 5


def _double(point: _Jacobian, a: int, p: int) -> _Jacobian:
    x, y, z = point
    if not z or not y:
        return _INFINITY
    yy = y * y % p
    s = 4 * x * yy % p
    zz = z * z % p
    m = (3 * x * x + a * zz * zz) % p
    x3 = (m * m - 2 * s) % p
    return x3, (m * (s - x3) - 8 * yy * yy) % p, 2 * y * z % p


def _add_affine(point: _Jacobian, other: _Affine, a: int, p: int) -> _Jacobian:
    x1, y1, z1 = point
    x2, y2 = other
    if not z1:
        return x2, y2, 1
    z1z1 = z1 * z1 % p
    h = (x2 * z1z1 - x1) % p
    r = (y2 * z1 * z1z1 - y1) % p
    if not h:
        return _double(point, a, p) if not r else _INFINITY
    hh = h * h % p
    hhh = h * hh % p
    v = x1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    return x3, (r * (v - x3) - y1 * hhh) % p, z1 * h % p


def _to_affine(point: _Jacobian, p: int) -> _Affine | None:
    x, y, z = point
    if not z:
        return None
    zi = pow(z, -1, p)
    zi2 = zi * zi % p
    return x * zi2 % p, y * zi2 * zi % p


def _odd_multiples(point: _Affine, count: int, a: int, p: int) -> list[_Affine]:
    """``[P, 3P, 5P, …]`` (``count`` points) in affine form.

    The odd multiples of a point on a GOST curve are never the point at infinity: its order
    divides ``cofactor · q`` with ``cofactor`` 1 or 4. A point of order 2 (``2P`` is infinity)
    has every odd multiple equal to itself.
    """
    twice = _to_affine(_double((point[0], point[1], 1), a, p), p)
    if twice is None:
        return [point] * count
    table = [point]
    for _ in range(count - 1):
        last = table[-1]
        nxt = _to_affine(_add_affine((last[0], last[1], 1), twice, a, p), p)
        if nxt is None:  # pragma: no cover - impossible for points of a GOST curve, see above
            raise ArithmeticError("an odd multiple of the point is the point at infinity")
        table.append(nxt)
    return table


def _naf(k: int, width: int) -> list[int]:
    """Width-w NAF digits of ``k``, least significant first."""
    digits = []
    full, half = 1 << width, 1 << (width - 1)
    while k:
        if k & 1:
            d = k & (full - 1)
            if d >= half:
                d -= full
            k -= d
        else:
            d = 0
        digits.append(d)
        k >>= 1
    return digits


@cache
def _base_table(curve: GostCurve) -> list[_Affine]:
    return _odd_multiples((curve.x, curve.y), 1 << (_BASE_WIDTH - 2), curve.a, curve.p)


def _walk(curve: GostCurve, scalars: list[tuple[list[int], list[_Affine]]]) -> _Affine | None:
    a, p = curve.a, curve.p
    length = max((len(digits) for digits, _ in scalars), default=0)
    acc = _INFINITY
    for i in range(length - 1, -1, -1):
        acc = _double(acc, a, p)
        for digits, table in scalars:
            if i < len(digits) and digits[i]:
                d = digits[i]
                if d > 0:
                    acc = _add_affine(acc, table[d >> 1], a, p)
                else:
                    x, y = table[(-d) >> 1]
                    acc = _add_affine(acc, (x, p - y), a, p)
    return _to_affine(acc, p)


def multiply_base(curve: GostCurve, k: int) -> _Affine | None:
    """``k·G`` for the curve's base point ``G``; ``None`` is the point at infinity."""
    return _walk(curve, [(_naf(k % curve.q, _BASE_WIDTH), _base_table(curve))])


def double_multiply(curve: GostCurve, u: int, v: int, point: _Affine) -> _Affine | None:
    """``u·G + v·point``; ``None`` is the point at infinity."""
    table = _odd_multiples(point, 1 << (_POINT_WIDTH - 2), curve.a, curve.p)
    return _walk(
        curve,
        [
            (_naf(u, _BASE_WIDTH), _base_table(curve)),
            (_naf(v, _POINT_WIDTH), table),
        ],
    )


def multiply(curve: GostCurve, k: int, point: _Affine) -> _Affine | None:
    """``k·point`` for any point on the curve (no reduction of ``k``); ``None`` is infinity."""
    table = _odd_multiples(point, 1 << (_POINT_WIDTH - 2), curve.a, curve.p)
    return _walk(curve, [(_naf(k, _POINT_WIDTH), table)])
