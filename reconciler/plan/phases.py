"""The order of calls within an enterprise (design §4), as phase numbers.

Apply runs phase by phase, so a number leaving one holder is always released before
another takes it, and Sync Unified App runs once, last.
"""

CREATE_CONTEXTSMS = 1
CREATE_CONNECTTOTEAMS = 2
SERVICES = 3
UNASSIGN = 4
PRUNE = 5
ENABLE_USERS = 6
ASSIGN_USER_NUMBERS = 7
GROUPS = 8
GROUP_NUMBERS = 9
MEMBERS = 10
MAPPINGS_DELETE = 11
MAPPINGS_UPDATE = 12
MAPPINGS_CREATE = 13
SYNC = 14

# Operations whose success must be pushed to Teams with Sync Unified App.
NEEDS_SYNC = frozenset({"userDids", "groupDids", "addMembers", "removeMembers"})
