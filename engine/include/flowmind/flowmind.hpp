// The whole plugin SDK in one include.
#pragma once

#include "flowmind/config.hpp"
#include "flowmind/config_schema.hpp"
#include "flowmind/context.hpp"
#include "flowmind/event.hpp"
#include "flowmind/export.hpp"
#include "flowmind/plugin.hpp"
#include "flowmind/sdk_version.hpp"
