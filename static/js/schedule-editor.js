// The timetable editor: move a block by dragging it (mouse, pen or touch, all
// through Pointer Events), change its length by dragging its lower edge, or
// move it with the keyboard (arrows: a snap in time or a room sideways; Shift
// with up or down: the length; Enter saves, Escape cancels). While a block moves
// the server is asked whether the place is allowed and the answer is shown; a
// drop or Enter posts the move with the edit count the block was drawn with.
// A session in the tray is placed the same way: dragged onto the grid, or put
// there by an arrow key and then moved by keys. A click on an empty cell opens
// the new-session form for that room and time.
// Without this script every block and tray item is a link to a plain form, and
// the room and hour headers link to the new-session form.
(function () {
  "use strict";

  var grid = document.getElementById("ed-grid");
  if (!grid) {
    return;
  }
  var status = document.getElementById("ed-status");
  var dialog = document.getElementById("ed-reason");
  var ROW = 5; // minutes per grid row
  var csrf = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  function roomHeaders() {
    return Array.prototype.slice.call(grid.querySelectorAll(".ed-room"));
  }
  var rooms = roomHeaders();
  var moving = null; // {block, row, span, col, orig, checkTimer}

  function snapRows() {
    return Math.max(1, Math.round(parseInt(grid.dataset.snap || "15", 10) / ROW));
  }

  function classNumber(el, prefix) {
    var match = el.className.match(new RegExp("(?:^| )" + prefix + "-(\\d+)"));
    return match ? parseInt(match[1], 10) : 0;
  }

  function setPlace(el, row, span, col) {
    el.className = el.className
      .replace(/(^| )r-\d+/, "$1r-" + row)
      .replace(/(^| )s-\d+/, "$1s-" + span)
      .replace(/(^| )c-\d+/, "$1c-" + col);
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // Local wall-clock ISO text of the row (the server reads it on the event's clocks).
  function rowTime(row) {
    var offset = grid.dataset.first.slice(19); // e.g. "+03:00"
    var minutes = (row - 2) * ROW;
    var start = grid.dataset.first.slice(0, 16);
    var base = new Date(start + ":00Z");
    var moment = new Date(base.getTime() + minutes * 60000);
    return (
      moment.getUTCFullYear() + "-" + pad(moment.getUTCMonth() + 1) + "-" + pad(moment.getUTCDate()) +
      "T" + pad(moment.getUTCHours()) + ":" + pad(moment.getUTCMinutes()) + offset
    );
  }

  function roomOf(col) {
    var header = rooms[col - 2];
    return header ? header.dataset.room : "";
  }

  function formData(m, reason) {
    var data = new URLSearchParams();
    data.set("starts_at", rowTime(m.row));
    data.set("ends_at", rowTime(m.row + m.span));
    data.set("room", roomOf(m.col));
    data.set("edit_count", m.block.dataset.edit);
    if (reason) {
      data.set("reason", reason);
    }
    return data;
  }

  function url(kind, id) {
    return grid.dataset[kind + "Url"].replace("/0/", "/" + id + "/");
  }

  function post(kind, m, reason) {
    return fetch(url(kind, m.block.dataset.id), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: formData(m, reason).toString(),
    }).then(function (response) {
      return response.json().then(function (body) {
        body.status = response.status;
        return body;
      });
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function showCheck(m, body) {
    m.block.classList.toggle("is-refused", !body.allowed);
    m.block.classList.toggle("is-warned", body.allowed && body.soft.length > 0);
    if (!body.allowed) {
      say(grid.dataset.msgRefused + " " + body.hard.join(" "));
    } else if (body.soft.length) {
      say(grid.dataset.msgWarn + " " + body.soft.join(" "));
    } else {
      say(grid.dataset.msgOk);
    }
  }

  function scheduleCheck(m) {
    clearTimeout(m.checkTimer);
    m.checkTimer = setTimeout(function () {
      post("check", m).then(function (body) {
        if (moving === m) {
          showCheck(m, body);
        }
      });
    }, 120);
  }

  function begin(block) {
    var m = {
      block: block,
      row: classNumber(block, "r"),
      span: classNumber(block, "s"),
      col: classNumber(block, "c"),
    };
    m.orig = { row: m.row, span: m.span, col: m.col };
    block.classList.add("is-moving");
    moving = m;
    return m;
  }

  function update(m, row, span, col) {
    row = Math.max(2, row);
    span = Math.max(1, span);
    col = Math.min(Math.max(2, col), rooms.length + 1);
    if (row === m.row && span === m.span && col === m.col) {
      return;
    }
    m.row = row;
    m.span = span;
    m.col = col;
    setPlace(m.block, row, span, col);
    scheduleCheck(m);
  }

  function finish(m) {
    m.block.classList.remove("is-moving", "is-refused", "is-warned");
    clearTimeout(m.checkTimer);
    if (moving === m) {
      moving = null;
    }
  }

  // Back where it was; a session brought from the tray goes back there.
  function revert(m) {
    if (m.fromTray) {
      if (m.block.parentNode) {
        m.block.parentNode.removeChild(m.block);
      }
    } else {
      setPlace(m.block, m.orig.row, m.orig.span, m.orig.col);
    }
  }

  function cancel(m) {
    finish(m);
    revert(m);
    say(grid.dataset.msgCancelled);
    if (m.fromTray && document.getElementById(m.fromTray)) {
      document.getElementById(m.fromTray).focus();
    }
  }

  function askReason(soft) {
    return new Promise(function (resolve) {
      var list = document.getElementById("ed-reason-list");
      var text = document.getElementById("ed-reason-text");
      list.textContent = "";
      soft.forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      text.value = "";
      dialog.addEventListener(
        "close",
        function () {
          resolve(dialog.returnValue === "save" && text.value.trim() ? text.value.trim() : null);
        },
        { once: true }
      );
      dialog.showModal();
      text.focus();
    });
  }

  function save(m, reason) {
    if (!m.fromTray && m.row === m.orig.row && m.span === m.orig.span && m.col === m.orig.col) {
      finish(m);
      return;
    }
    post("move", m, reason).then(function (body) {
      if (body.status === 200) {
        finish(m);
        say(grid.dataset.msgSaved);
        refresh(m.block.dataset.id);
      } else if (body.status === 422 && body.hard.length === 0 && body.soft.length) {
        askReason(body.soft).then(function (given) {
          if (given) {
            save(m, given);
          } else {
            cancel(m);
          }
        });
      } else {
        var id = m.block.dataset.id;
        revert(m);
        finish(m);
        say(body.status === 409 ? body.message : grid.dataset.msgRefused + " " + body.hard.join(" "));
        if (body.status === 409) {
          refresh(id, true);
        }
      }
    });
  }

  // Dropped on the tray: take the session off the timetable.
  function toTray(m) {
    var tray = document.getElementById("ed-tray");
    var id = m.block.dataset.id;
    var data = new URLSearchParams();
    data.set("edit_count", m.block.dataset.edit);
    revert(m);
    finish(m);
    fetch(tray.dataset.trayUrl.replace("/0/", "/" + id + "/"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: data.toString(),
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        say(body.message);
        refresh(id, true);
      });
  }

  // Fetch the page again and swap in the grid and the side panels.
  function refresh(id, keepStatus) {
    var text = status.textContent;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) {
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["ed-grid", "ed-conflicts-h", "ed-told-h", "ed-tray-h"].forEach(function (key) {
          var fresh = doc.getElementById(key);
          var mine = document.getElementById(key);
          if (!fresh || !mine) {
            return;
          }
          var from = key === "ed-grid" ? fresh : fresh.parentNode;
          var to = key === "ed-grid" ? mine : mine.parentNode;
          to.innerHTML = from.innerHTML;
        });
        var freshGrid = doc.getElementById("ed-grid");
        if (freshGrid) {
          grid.dataset.rows = freshGrid.dataset.rows;
          grid.dataset.first = freshGrid.dataset.first;
        }
        rooms = roomHeaders();
        var block = document.getElementById("block-" + id);
        if (block) {
          block.focus();
        }
        if (keepStatus) {
          say(text);
        }
      });
  }

  // Pointer: drag to move, drag the lower edge to resize, click an empty cell to add.
  var drag = null;

  function cellAt(x, y) {
    var box = grid.getBoundingClientRect();
    var header = rooms[0] ? rooms[0].getBoundingClientRect().bottom - box.top : 0;
    var rowHeight = (grid.scrollHeight - header) / parseInt(grid.dataset.rows, 10);
    var row = 2 + Math.floor((y - box.top - header) / rowHeight);
    var col = 0;
    rooms.forEach(function (room, i) {
      var r = room.getBoundingClientRect();
      if (x >= r.left && x <= r.right) {
        col = i + 2;
      }
    });
    return { row: row, col: col };
  }

  grid.addEventListener("pointerdown", function (event) {
    var block = event.target.closest(".ed-block");
    if (!block || event.button > 0 || moving) {
      return;
    }
    event.preventDefault();
    var m = begin(block);
    var cell = cellAt(event.clientX, event.clientY);
    drag = {
      m: m,
      resize: event.target.classList.contains("ed-resize"),
      dRow: cell.row - m.row,
      moved: false,
      pointer: event.pointerId,
    };
    block.setPointerCapture(event.pointerId);
  });

  grid.addEventListener("pointermove", function (event) {
    if (!drag || event.pointerId !== drag.pointer) {
      return;
    }
    var m = drag.m;
    var cell = cellAt(event.clientX, event.clientY);
    var snap = snapRows();
    if (drag.resize) {
      var end = Math.round((cell.row + 1 - m.row) / snap) * snap;
      update(m, m.row, Math.max(snap, end), m.col);
    } else {
      var row = 2 + Math.round((cell.row - drag.dRow - 2) / snap) * snap;
      update(m, row, m.span, cell.col || m.col);
    }
    drag.moved = drag.moved || m.row !== m.orig.row || m.col !== m.orig.col || m.span !== m.orig.span;
  });

  function endDrag(event, cancelled) {
    if (!drag || event.pointerId !== drag.pointer) {
      return;
    }
    var d = drag;
    drag = null;
    var under = document.elementFromPoint(event.clientX, event.clientY);
    if (!cancelled && under && under.closest("#ed-tray")) {
      toTray(d.m);
      return;
    }
    if (cancelled) {
      cancel(d.m);
    } else if (!d.moved) {
      finish(d.m);
      window.location.href = d.m.block.href; // a click: open the form
    } else {
      save(d.m);
    }
  }

  grid.addEventListener("pointerup", function (event) {
    endDrag(event, false);
  });
  grid.addEventListener("pointercancel", function (event) {
    endDrag(event, true);
  });
  grid.addEventListener("click", function (event) {
    var block = event.target.closest(".ed-block");
    if (block) {
      event.preventDefault(); // pointerup decided
      return;
    }
    if (event.target.closest(".ed-room, .ed-hour")) {
      return;
    }
    var cell = cellAt(event.clientX, event.clientY);
    if (cell.col >= 2 && cell.row >= 2) {
      var start = rowTime(2 + Math.floor((cell.row - 2) / snapRows()) * snapRows());
      window.location.href =
        grid.dataset.newUrl + "?day=" + start.slice(0, 10) + "&starts=" + start.slice(11, 16) +
        "&room=" + roomOf(cell.col);
    }
  });

  // Keyboard: arrows move, Shift+up/down resizes, Enter saves, Escape cancels.
  grid.addEventListener("keydown", function (event) {
    var block = event.target.closest(".ed-block");
    if (!block) {
      return;
    }
    var m = moving && moving.block === block ? moving : null;
    var snap = snapRows();
    var key = event.key;
    if (key === "Enter") {
      if (m) {
        event.preventDefault();
        save(m);
      }
      return; // not moving: Enter opens the form
    }
    if (key === "Escape") {
      if (m) {
        event.preventDefault();
        cancel(m);
      }
      return;
    }
    if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].indexOf(key) < 0) {
      return;
    }
    event.preventDefault();
    m = m || begin(block);
    if (event.shiftKey && key === "ArrowDown") {
      update(m, m.row, m.span + snap, m.col);
    } else if (event.shiftKey && key === "ArrowUp") {
      update(m, m.row, m.span - snap, m.col);
    } else if (key === "ArrowDown") {
      update(m, m.row + snap, m.span, m.col);
    } else if (key === "ArrowUp") {
      update(m, m.row - snap, m.span, m.col);
    } else if (key === "ArrowRight") {
      update(m, m.row, m.span, m.col + 1);
    } else {
      update(m, m.row, m.span, m.col - 1);
    }
  });

  // The tray: a session is put on the grid as a new block, then moved as any.
  var fromTray = null; // {item, pointer, m, x, y}
  var dropped = false; // the click that ends a drag opens nothing

  function bringFromTray(item, row, col) {
    var block = document.createElement("a");
    var span = Math.max(1, Math.ceil(parseInt(item.dataset.minutes || "30", 10) / ROW));
    block.className = "ed-block is-new r-" + row + " s-" + span + " c-" + col;
    block.href = item.href;
    block.id = "new-" + item.dataset.id;
    block.dataset.id = item.dataset.id;
    block.dataset.edit = item.dataset.edit;
    block.setAttribute("aria-describedby", "ed-keys");
    block.textContent = item.textContent;
    grid.appendChild(block);
    var m = begin(block);
    m.fromTray = item.id;
    scheduleCheck(m);
    return m;
  }

  function trayItem(event) {
    return event.target.closest ? event.target.closest(".ed-tray-item") : null;
  }

  function overGrid(x, y) {
    var box = grid.parentNode.getBoundingClientRect();
    return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom;
  }

  document.addEventListener("pointerdown", function (event) {
    var item = trayItem(event);
    if (!item || event.button > 0 || moving) {
      return;
    }
    event.preventDefault();
    fromTray = { item: item, pointer: event.pointerId, m: null };
    item.setPointerCapture(event.pointerId);
  });

  document.addEventListener("pointermove", function (event) {
    if (!fromTray || event.pointerId !== fromTray.pointer) {
      return;
    }
    if (!overGrid(event.clientX, event.clientY)) {
      return;
    }
    var cell = cellAt(event.clientX, event.clientY);
    if (cell.col < 2 || cell.row < 2) {
      return;
    }
    var snap = snapRows();
    var row = 2 + Math.round((cell.row - 2) / snap) * snap;
    if (!fromTray.m) {
      fromTray.m = bringFromTray(fromTray.item, row, cell.col);
    } else {
      update(fromTray.m, row, fromTray.m.span, cell.col);
    }
  });

  function endTrayDrag(event, cancelled) {
    if (!fromTray || event.pointerId !== fromTray.pointer) {
      return;
    }
    var d = fromTray;
    fromTray = null;
    if (!d.m) {
      return; // a click: the link opens the plain form
    }
    dropped = true;
    if (!cancelled && overGrid(event.clientX, event.clientY)) {
      save(d.m);
    } else {
      cancel(d.m);
    }
  }

  document.addEventListener("pointerup", function (event) {
    endTrayDrag(event, false);
  });
  document.addEventListener("pointercancel", function (event) {
    endTrayDrag(event, true);
  });
  document.addEventListener("click", function (event) {
    if (dropped && trayItem(event)) {
      event.preventDefault();
    }
    dropped = false;
  });

  // An arrow key on a tray item puts it on the grid at 09:00 (or the first
  // row) in the first room; from there the keys move it as any block.
  document.addEventListener("keydown", function (event) {
    var item = trayItem(event);
    if (!item || moving || ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].indexOf(event.key) < 0) {
      return;
    }
    event.preventDefault();
    var hour = parseInt(grid.dataset.first.slice(11, 13), 10);
    var row = 2 + Math.max(0, 9 - hour) * (60 / ROW);
    var m = bringFromTray(item, Math.min(row, parseInt(grid.dataset.rows, 10) + 1), 2);
    m.block.focus();
    say(item.textContent);
  });

  grid.addEventListener("focusout", function (event) {
    if (moving && moving.block === event.target && !dialog.open && !drag) {
      cancel(moving);
    }
  });
})();
