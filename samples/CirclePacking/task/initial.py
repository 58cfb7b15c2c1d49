"""Circle packing, n = 26, in the unit square: maximise the sum of the radii.

`run_packing()` returns `(centers, radii)`: 26 (x, y) pairs and 26 radii. The evaluator
(`evaluate.py`) checks that every circle lies inside [0, 1] x [0, 1] and that no two overlap.

Only the code between the EVOLVE-BLOCK markers is evolved: a handful of layout constants and
construct_packing(). The starting layout is a centre circle inside two concentric rings, stretched
towards the corners of the square; the radii are then grown as large as the layout allows, so any
layout gives a valid packing. The block holds no other numeric literal, so a constant-perturbation
mutator only ever changes the layout constants. Pure standard library.
"""

import math

N_CIRCLES = 26


def ring_layout(n, cx, cy, inner_ring, outer_ring, inner_count, inner_phase, outer_phase, corner_pull, margin):
    """n centres: one at (cx, cy), `inner_count` on an inner ring, the rest on an outer ring that
    `corner_pull` stretches towards the corners of the square; every centre is kept `margin` inside."""
    inner_count = max(0, min(int(inner_count), n - 1))
    outer_count = n - 1 - inner_count
    centers = [(cx, cy)]
    for k in range(inner_count):
        a = inner_phase + 2.0 * math.pi * k / inner_count
        centers.append((cx + inner_ring * math.cos(a), cy + inner_ring * math.sin(a)))
    for k in range(outer_count):
        a = outer_phase + 2.0 * math.pi * k / outer_count
        # |cos 2a| is 1 on the axes and 0 on the diagonals: stretch the ring towards the corners.
        stretch = 1.0 + corner_pull * (1.0 - abs(math.cos(2.0 * a)))
        centers.append((cx + outer_ring * stretch * math.cos(a), cy + outer_ring * stretch * math.sin(a)))
    lo = min(max(margin, 0.0), 0.5)
    hi = 1.0 - lo
    return [(min(max(x, lo), hi), min(max(y, lo), hi)) for x, y in centers]


def feasible_radii(centers):
    """Radii for fixed centres that always form a valid packing, grown greedily.

    Start from half the distance to the nearest neighbour (capped by the walls), then let each circle
    in turn grow into whatever room its neighbours and the walls leave.
    """
    n = len(centers)
    dist = [[math.hypot(centers[i][0] - centers[j][0], centers[i][1] - centers[j][1])
             for j in range(n)] for i in range(n)]
    wall = [max(0.0, min(x, y, 1.0 - x, 1.0 - y)) for x, y in centers]
    radii = []
    for i in range(n):
        nearest = min((dist[i][j] for j in range(n) if j != i), default=2.0)
        radii.append(max(0.0, min(wall[i], 0.5 * nearest)))
    for _ in range(3):
        for i in range(n):
            room = wall[i]
            for j in range(n):
                if j != i:
                    room = min(room, dist[i][j] - radii[j])
            radii[i] = max(radii[i], room)
    return radii


# EVOLVE-BLOCK-START
# The layout: a centre circle inside two rings. The constants are the centre of the rings, the ring
# radii, how many circles sit on the inner ring, the rings' angular offsets, how strongly the outer ring
# is pulled into the corners, and how far every centre stays from the walls. The radii are then grown
# as far as the layout allows (feasible_radii above), so any layout is a valid packing. Replace the
# layout, the radii routine or both here to go further.
CENTER_X = 0.5
CENTER_Y = 0.5
INNER_RING = 0.22
OUTER_RING = 0.40
INNER_COUNT = 8
INNER_PHASE = 0.0
OUTER_PHASE = 0.0
CORNER_PULL = 0.15
MARGIN = 0.02


def construct_packing():
    centers = ring_layout(N_CIRCLES, CENTER_X, CENTER_Y, INNER_RING, OUTER_RING, INNER_COUNT,
                          INNER_PHASE, OUTER_PHASE, CORNER_PULL, MARGIN)
    return centers, feasible_radii(centers)
# EVOLVE-BLOCK-END


def run_packing():
    """Entry point called by the evaluator: returns (centers, radii)."""
    centers, radii = construct_packing()
    return [(float(x), float(y)) for x, y in centers], [float(r) for r in radii]


if __name__ == "__main__":
    c, r = run_packing()
    print(f"circles: {len(r)}  sum of radii: {sum(r):.6f}")
