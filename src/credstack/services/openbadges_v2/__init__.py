"""openbadges_v2"""
