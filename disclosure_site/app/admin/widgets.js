/*
 * The form widgets the generated config.yml names; loaded after decap-cms.js, before the CMS starts.
 *
 * disclosure: Decap has no conditional fields, so 公开属性 wraps the ordinary select and hides the whole field
 *   (label and hint too) of 不公开理由 and 公开审查 while it is 主动公开, the only case where check asks for neither.
 * report_table: the annual report's tables 三 and 四 as a grid of number inputs, rows and columns in the national
 *   format's order (config.yml lists them); the value is the nested mapping check reads. A new report starts with
 *   every cell at 0, since the format wants 0 in rows without data.
 * list_columns and list_rows: a 公共清单's rows written in the file are keyed by the list's own column names, so
 *   the rows are a grid whose columns follow the 字段 list (list_columns is Decap's list, telling the grid its names).
 * index_no: the ordinary text control; on a new entry whose field names a proposal_url (build.py edit serves one
 *   next to the admin) it asks for the next free 索引号 when the form opens, so a second entry made in the same
 *   editing session gets a new number instead of the one config.yml held when the admin was written.
 */
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var PUBLIC = "主动公开";
  var TextControl = CMS.getWidget("string").control;
  var TextPreview = CMS.getWidget("string").preview;
  var SelectControl = CMS.getWidget("select").control;
  var ListControl = CMS.getWidget("list").control;
  var SelectPreview = CMS.getWidget("select").preview;

  // The field's container: the nearest element holding both Decap's label for this control and the control.
  function fieldBox(forID) {
    var box = document.querySelector('label[for="' + forID + '"]');
    var control = document.getElementById(forID);
    while (box && control && !box.contains(control)) {
      box = box.parentElement;
    }
    return box && control ? box : null;
  }

  function plain(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : (value || {});
  }

  function cellsOf(value, row) {
    var node = plain(value);
    for (var i = 0; i < row.length && node; i += 1) {
      node = node[row[i]];
    }
    return Array.isArray(node) ? node : [];
  }

  // A copy of the mapping with the cells of ``row`` replaced; rows and levels missing so far are added.
  function withRow(value, row, cells) {
    var copy = JSON.parse(JSON.stringify(plain(value)));
    var node = copy;
    for (var i = 0; i < row.length - 1; i += 1) {
      var next = node[row[i]];
      node[row[i]] = next && typeof next === "object" && !Array.isArray(next) ? next : {};
      node = node[row[i]];
    }
    node[row[row.length - 1]] = cells;
    return copy;
  }

  function zeros(count) {
    var cells = [];
    while (cells.length < count) {
      cells.push(0);
    }
    return cells;
  }

  // Heading rows for the levels above a row that the previous row did not share (（三）不予公开 over its 1.–8.).
  function headings(row, previous, width) {
    var found = [];
    for (var depth = 0; depth < row.length - 1; depth += 1) {
      if (!previous || previous.slice(0, depth + 1).join("\u0000") !== row.slice(0, depth + 1).join("\u0000")) {
        found.push(h("tr", { key: "h" + row.slice(0, depth + 1).join("/") },
          h("th", { colSpan: width + 1, scope: "colgroup", style: { textAlign: "left", paddingLeft: depth + "em" } },
            row[depth])));
      }
    }
    return found;
  }

  var ReportTable = createClass({
    componentDidMount: function () {
      var value = plain(this.props.value);
      if (Object.keys(value).length === 0) {
        var width = this.columns().length;
        this.props.onChange(this.rows().reduce(function (mapping, row) {
          return withRow(mapping, row, zeros(width));
        }, {}));
      }
    },
    rows: function () { return plain(this.props.field.get("rows")); },
    columns: function () { return plain(this.props.field.get("columns")); },
    change: function (row, column, text) {
      var cells = cellsOf(this.props.value, row).slice();
      while (cells.length < this.columns().length) {
        cells.push(0);
      }
      var number = Number(text);
      // Blank while the editor retypes a cell; it becomes 0 when the cell loses focus.
      cells[column] = text !== "" && Number.isInteger(number) ? number : text;
      this.props.onChange(withRow(this.props.value, row, cells));
    },
    render: function () {
      var self = this;
      var columns = this.columns();
      var body = [];
      this.rows().forEach(function (row, index, rows) {
        body = body.concat(headings(row, rows[index - 1], columns.length));
        var cells = cellsOf(self.props.value, row);
        body.push(h("tr", { key: row.join("/") },
          h("th", { scope: "row", style: { textAlign: "left", minWidth: "12em", paddingLeft: (row.length - 1) + "em" } },
            row[row.length - 1]),
          columns.map(function (column, at) {
            return h("td", { key: column },
              h("input", {
                type: "number", min: 0, step: 1, inputMode: "numeric", style: { width: "4.5em" },
                "aria-label": row[row.length - 1] + " · " + column,
                value: cells[at] === undefined ? "" : cells[at],
                onChange: function (event) { self.change(row, at, event.target.value); },
                onFocus: self.props.setActiveStyle,
                onBlur: function (event) {
                  if (event.target.value === "") {
                    self.change(row, at, "0");
                  }
                  if (self.props.setInactiveStyle) {
                    self.props.setInactiveStyle();
                  }
                }
              }));
          })));
      });
      return h("div", { id: this.props.forID, className: this.props.classNameWrapper, style: { overflowX: "auto" } },
        h("table", null,
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "行"), columns.map(function (column) {
            return h("th", { key: column, scope: "col" }, column);
          }))),
          h("tbody", null, body)));
    }
  });

  var ReportPreview = createClass({
    render: function () {
      var field = this.props.field;
      // The preview pane's value of a mapping is not the mapping itself: read it from the entry.
      var value = this.props.entry ? this.props.entry.getIn(["data", field.get("name")]) : this.props.value;
      return h("ul", null, plain(field.get("rows")).map(function (row) {
        return h("li", { key: row.join("/") }, row.join(" / ") + "：" + cellsOf(value, row).join("、"));
      }));
    }
  });

  // Decap re-renders a control only when its own value changes: 字段 tells the rows grid its column names itself.
  var columnListeners = [];
  function columnNames(value) {
    var columns = plain(value);
    return Array.isArray(columns) ? columns.map(function (column) { return (column && column.name) || ""; }) : [];
  }

  var ListColumns = createClass({
    componentDidMount: function () { this.announce(); },
    componentDidUpdate: function () { this.announce(); },
    announce: function () {
      var names = columnNames(this.props.value);
      columnListeners.forEach(function (listener) { listener(names); });
    },
    render: function () { return h(ListControl, this.props); }
  });

  var ListRows = createClass({
    getInitialState: function () {
      var entry = this.props.entry;
      return { columns: columnNames(entry && entry.getIn(["data", this.props.field.get("columns_field")])) };
    },
    componentDidMount: function () {
      this.listener = function (names) {
        if (names.join("\u0000") !== this.state.columns.join("\u0000")) {
          this.setState({ columns: names });
        }
      }.bind(this);
      columnListeners.push(this.listener);
    },
    componentWillUnmount: function () {
      columnListeners.splice(columnListeners.indexOf(this.listener), 1);
    },
    shouldComponentUpdate: function () { return true; },
    rows: function () {
      var rows = plain(this.props.value);
      return Array.isArray(rows) ? rows : [];
    },
    // Cells under a name that is no longer a column stay in the row: check names them (LIST_ROW_KEY).
    setCell: function (index, name, text) {
      var rows = JSON.parse(JSON.stringify(this.rows()));
      rows[index][name] = text;
      this.props.onChange(rows);
    },
    addRow: function () {
      var row = {};
      this.state.columns.forEach(function (name) { row[name] = ""; });
      this.props.onChange(this.rows().concat([row]));
    },
    removeRow: function (index) {
      var rows = this.rows().slice();
      rows.splice(index, 1);
      this.props.onChange(rows);
    },
    render: function () {
      var self = this;
      var columns = this.state.columns.filter(function (name) { return name; });
      if (columns.length === 0) {
        return h("p", { id: this.props.forID, className: this.props.classNameWrapper },
          "请先在「字段」中添加列，再逐行填写；也可以改用「清单文件」上传 CSV。");
      }
      var body = this.rows().map(function (row, index) {
        return h("tr", { key: index },
          h("th", { scope: "row" }, String(index + 1)),
          columns.map(function (name) {
            var value = row[name] === undefined || row[name] === null ? "" : String(row[name]);
            return h("td", { key: name }, h("textarea", {
              rows: 2, value: value, "aria-label": "第 " + (index + 1) + " 行 · " + name, style: { width: "100%", minWidth: "8em" },
              onChange: function (event) { self.setCell(index, name, event.target.value); }
            }));
          }),
          h("td", null, h("button", { type: "button", "aria-label": "删除第 " + (index + 1) + " 行",
            style: { whiteSpace: "nowrap" }, onClick: function () { self.removeRow(index); } }, "删除")));
      });
      return h("div", { id: this.props.forID, className: this.props.classNameWrapper, style: { overflowX: "auto" } },
        h("table", null,
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "行"), columns.map(function (name) {
            return h("th", { key: name, scope: "col" }, name);
          }), h("th", { scope: "col" }, "操作"))),
          h("tbody", null, body)),
        h("button", { type: "button", onClick: this.addRow }, "新增一行"));
    }
  });

  var ListRowsPreview = createClass({
    render: function () {
      var field = this.props.field;
      var rows = plain(this.props.entry ? this.props.entry.getIn(["data", field.get("name")]) : this.props.value);
      return h("p", null, (Array.isArray(rows) ? rows.length : 0) + " 行");
    }
  });

  // Decap re-renders a control only when its own value changes, so 公开属性 itself shows or hides the fields its
  // config lists under withheld_only (不公开理由, 公开审查): all of them are in the page when it mounts.
  function showWithheldOnly(field, disclosure) {
    var names = plain(field.get("withheld_only")) || [];
    names.forEach(function (name) {
      document.querySelectorAll('label[for^="' + name + '-field-"]').forEach(function (label) {
        var box = fieldBox(label.htmlFor);
        if (box) {
          box.style.display = disclosure === PUBLIC ? "none" : "";
        }
      });
    });
  }

  var Disclosure = createClass({
    componentDidMount: function () { showWithheldOnly(this.props.field, this.props.value || PUBLIC); },
    componentDidUpdate: function () { showWithheldOnly(this.props.field, this.props.value || PUBLIC); },
    render: function () { return h(SelectControl, this.props); }
  });

  var IndexNo = createClass({
    componentDidMount: function () {
      var url = this.props.field.get("proposal_url");
      var self = this;
      self.mounted = true;
      if (!url || self.props.value) {
        return;
      }
      fetch(url, { cache: "no-store" })
        .then(function (answer) { return answer.ok ? answer.text() : ""; })
        .then(function (number) {
          if (self.mounted && number && !self.props.value) {
            self.props.onChange(number.trim());
          }
        })
        .catch(function () { /* no proposal: the editor types the number; check reports a taken one */ });
    },
    componentWillUnmount: function () { this.mounted = false; },
    render: function () { return h(TextControl, this.props); }
  });

  CMS.registerWidget("report_table", ReportTable, ReportPreview);
  CMS.registerWidget("list_columns", ListColumns, CMS.getWidget("list").preview);
  CMS.registerWidget("list_rows", ListRows, ListRowsPreview);
  CMS.registerWidget("disclosure", Disclosure, SelectPreview);
  CMS.registerWidget("index_no", IndexNo, TextPreview);
})();
