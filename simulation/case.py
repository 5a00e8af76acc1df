"""The figures the Chengdu case reports, for comparison in plots and tables only.

The model never reads these: they are what its output is compared against.
"""

START_GROUPS = 3  # self-organised groups before the project
GROUPS_AFTER_ONE_YEAR = 31  # reported one year into the project
CASE_WEEK = 52  # "one year"
POST_PROJECT_CONTACTS_PER_YEAR = (1, 2)  # "one or two times a year"
