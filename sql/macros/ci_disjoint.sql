-- ci_disjoint(lower_a, upper_a, lower_b, upper_b): true when the two rating intervals do not overlap
-- (one lies wholly above the other), false when they overlap, null when a bound is missing.
CREATE OR REPLACE MACRO ci_disjoint(lower_a, upper_a, lower_b, upper_b) AS
    lower_a > upper_b OR upper_a < lower_b;
