/* cursor.c - moving a table's cursor (cursor.h). */
#include "config.h"

#include "cursor.h"

bool cursor_move(size_t *sel, size_t n, size_t page, enum request req)
{
	size_t last = n ? n - 1 : 0;

	switch (req) {
	case REQ_MOVE_DOWN:
		if (*sel + 1 < n)
			(*sel)++;
		break;
	case REQ_MOVE_UP:
		if (*sel > 0)
			(*sel)--;
		break;
	case REQ_PAGE_DOWN:
		if (!page)
			return false;
		*sel = *sel + page < n ? *sel + page : last;
		break;
	case REQ_PAGE_UP:
		if (!page)
			return false;
		*sel = *sel > page ? *sel - page : 0;
		break;
	case REQ_MOVE_FIRST:
		*sel = 0;
		break;
	case REQ_MOVE_LAST:
		*sel = last;
		break;
	default:
		return false;
	}
	return true;
}

size_t cursor_page(int rows)
{
	return rows > 1 ? (size_t)rows - 1 : 1;
}

void cursor_cycle(size_t *col, size_t n, int dir)
{
	if (!n)
		return;
	*col = dir > 0 ? (*col + 1) % n : (*col + n - 1) % n;
}
