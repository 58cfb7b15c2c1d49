// Travelling salesman on shuffled grids, in C++17 (standard library only).
//
// solve(points) returns a closed tour: a permutation of the point indices. The instances are full rectangular grids of
// unit spacing with an even number of points, listed in a shuffled order; such a grid has a Hamiltonian cycle made only of
// unit edges, so the optimal tour length is exactly the number of points. The harness (outside the EVOLVE-BLOCK) checks
// that every tour visits each point once and prints one JSON line.
// Score: 0 if any tour is invalid, else the mean over the instances of optimum / length = 1 / (1 + gap), in (0, 1].
//
// Only the code between the EVOLVE-BLOCK markers is evolved: the annealing constants and solve(). The block holds no
// other numeric literal, so a constant-perturbation mutator only changes the constants; the helpers it calls
// (input_order, nearest_neighbour, anneal_2opt) live in the frame. The search is deterministic (a seeded generator),
// so the same program always gets the same score.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

struct Point {
    double x;
    double y;
};

static double dist(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Helpers in the frame (fixed), free for solve() to use or ignore.

struct Rng {  // xorshift64
    uint64_t s;
    uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
    int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

// The points in the order given.
std::vector<int> input_order(const std::vector<Point>& pts) {
    std::vector<int> tour(pts.size());
    for (size_t i = 0; i < tour.size(); ++i) tour[i] = static_cast<int>(i);
    return tour;
}

// Greedy nearest-neighbour tour from point `start` (O(n^2)).
std::vector<int> nearest_neighbour(const std::vector<Point>& pts, int start) {
    const int n = static_cast<int>(pts.size());
    std::vector<int> tour;
    if (n == 0) return tour;
    std::vector<char> used(n, 0);
    int current = ((start % n) + n) % n;
    for (int step = 0; step < n; ++step) {
        tour.push_back(current);
        used[current] = 1;
        int next = -1;
        double best = 0;
        for (int k = 0; k < n; ++k) {
            if (used[k]) continue;
            double d = dist(pts[current], pts[k]);
            if (next < 0 || d < best) { next = k; best = d; }
        }
        if (next < 0) break;
        current = next;
    }
    return tour;
}

// Simulated annealing over random 2-opt moves (reverse tour[i+1..j]) with geometric cooling from t_start to t_end;
// moves_per_point * n attempts (capped at 5000 per point), segments at most span_fraction * n long.
void anneal_2opt(const std::vector<Point>& pts, std::vector<int>& tour, double t_start, double t_end,
                 double moves_per_point, double span_fraction, uint64_t seed) {
    const int n = static_cast<int>(tour.size());
    if (n < 4) return;
    t_start = std::max(t_start, 1e-9);
    t_end = std::min(std::max(t_end, 1e-9), t_start);
    const long moves = static_cast<long>(std::min(std::max(moves_per_point, 0.0), 5000.0) * n);
    if (moves <= 0) return;
    const int span = std::min(std::max(2, static_cast<int>(span_fraction * n)), n - 1);
    const double cooling = std::pow(t_end / t_start, 1.0 / static_cast<double>(moves));
    Rng rng{seed | 1};
    double t = t_start;
    for (long m = 0; m < moves; ++m, t *= cooling) {
        // Reverse tour[i+1 .. j]: edges (a,b) and (c,d) become (a,c) and (b,d).
        int i = rng.below(n);
        int j = i + 2 + rng.below(span - 1);
        if (j >= n) continue;
        const Point& a = pts[tour[i]];
        const Point& b = pts[tour[i + 1]];
        const Point& c = pts[tour[j]];
        const Point& d = pts[tour[(j + 1) % n]];
        double delta = dist(a, c) + dist(b, d) - dist(a, b) - dist(c, d);
        if (delta < 0 || rng.uniform() < std::exp(-delta / t)) {
            std::reverse(tour.begin() + i + 1, tour.begin() + j + 1);
        }
    }
}

// EVOLVE-BLOCK-START
// Simulated annealing over random 2-opt moves from the input order, with a geometric cooling schedule.
const double T_START = 0.3;           // initial temperature (in units of the grid spacing)
const double T_END = 0.1;             // final temperature
const double MOVES_PER_POINT = 600.0; // move attempts per point
const double NEIGHBOUR_SPAN = 0.9;    // the longest 2-opt segment, as a fraction of the tour
const uint64_t SEED = 12345;

std::vector<int> solve(const std::vector<Point>& pts) {
    std::vector<int> tour = input_order(pts);
    anneal_2opt(pts, tour, T_START, T_END, MOVES_PER_POINT, NEIGHBOUR_SPAN, SEED);
    return tour;
}
// EVOLVE-BLOCK-END

// ---------------------------------------------------------------------------------------------------------------
// Harness (fixed): instances, validity check, scoring, JSON output.
// ---------------------------------------------------------------------------------------------------------------

struct Instance {
    int columns;
    int rows;
    std::vector<Point> points;
};

static Instance grid(int columns, int rows, uint64_t seed) {
    Instance inst{columns, rows, {}};
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < columns; ++x) inst.points.push_back({static_cast<double>(x), static_cast<double>(y)});
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 0xD1B54A32D192ED03ULL;
    for (size_t i = inst.points.size() - 1; i > 0; --i) {  // Fisher-Yates with an LCG
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t k = static_cast<size_t>((s >> 33) % (i + 1));
        std::swap(inst.points[i], inst.points[k]);
    }
    return inst;
}

static std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"') out += "\\\"";
        else if (ch == '\\') out += "\\\\";
        else if (static_cast<unsigned char>(ch) < 0x20) out += ' ';
        else out += ch;
    }
    return out + "\"";
}

int main() {
    const std::vector<Instance> instances = {grid(8, 8, 1), grid(10, 15, 2), grid(16, 16, 3), grid(14, 25, 4), grid(20, 20, 5)};
    double quality_sum = 0;
    double worst_gap = 0;
    int points = 0;
    std::string details;
    auto start = std::chrono::steady_clock::now();
    for (const Instance& inst : instances) {
        const int n = static_cast<int>(inst.points.size());
        points += n;
        const std::string name = std::to_string(inst.columns) + "x" + std::to_string(inst.rows) + " grid";
        std::vector<int> tour = solve(inst.points);
        std::vector<char> seen(n, 0);
        std::string problem;
        if (static_cast<int>(tour.size()) != n) {
            problem = "tour has " + std::to_string(tour.size()) + " entries for " + std::to_string(n) + " points";
        } else {
            for (int i = 0; i < n && problem.empty(); ++i) {
                int v = tour[i];
                if (v < 0 || v >= n) problem = "tour entry " + std::to_string(i) + " is " + std::to_string(v) + ", not a point index";
                else if (seen[v]) problem = "point " + std::to_string(v) + " is visited twice";
                else seen[v] = 1;
            }
        }
        if (!problem.empty()) {
            std::printf("{\"combined_score\": 0.0, \"correct\": false, \"error\": \"invalid tour\", \"public\": {\"instances\": %zu}, "
                        "\"private\": {}, \"text_feedback\": %s}\n",
                        instances.size(), json_string("invalid tour on the " + name + ": " + problem).c_str());
            return 0;
        }
        double length = 0;
        for (int i = 0; i < n; ++i) length += dist(inst.points[tour[i]], inst.points[tour[(i + 1) % n]]);
        const double optimum = n;  // a full grid with an even number of points has a tour of unit edges only
        const double gap = length / optimum - 1.0;
        quality_sum += optimum / length;
        worst_gap = std::max(worst_gap, gap);
        char line[160];
        std::snprintf(line, sizeof line, "%s%s: length %.3f, optimum %.0f, gap %.2f%%", details.empty() ? "" : "; ", name.c_str(), length, optimum, gap * 100);
        details += line;
    }
    const double millis = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    const double score = quality_sum / static_cast<double>(instances.size());
    std::printf("{\"combined_score\": %.6f, \"correct\": true, \"public\": {\"instances\": %zu, \"points\": %d, \"mean_gap\": %.6f, "
                "\"worst_gap\": %.6f, \"millis\": %.3f}, \"private\": {}, \"text_feedback\": %s}\n",
                score, instances.size(), points, 1.0 / score - 1.0, worst_gap, millis,
                json_string("All tours valid. Score = mean of optimum/length. " + details).c_str());
    return 0;
}
